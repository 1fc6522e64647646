//! The append-only archive: `archive/<document>/<version>/` holds the exact source bytes of every
//! language of a released version and its `release.toml` (README "Releases, the archive and consent").

use crate::error::{Error, Result};
use crate::model::Level;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};
use std::io::Write as _;
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

    /// The version after this one for a bump (semver: a higher component resets the lower).
    ///
    /// Errors: [`Error::Refused`] when the bumped component is already `u64::MAX`
    /// (18446744073709551615), so the next version would wrap around.
    pub fn bumped(self, bump: crate::model::Bump) -> Result<Version> {
        use crate::model::Bump;
        let next = |n: u64, which: &str| {
            n.checked_add(1).ok_or_else(|| {
                Error::Refused(format!(
                    "cannot bump {self} ({bump}): its {which} number is the largest there is ({n}); no version can follow it"
                ))
            })
        };
        Ok(match bump {
            Bump::None => self,
            Bump::Patch => Version { patch: next(self.patch, "patch")?, ..self },
            Bump::Minor => Version { minor: next(self.minor, "minor")?, patch: 0, ..self },
            Bump::Major => Version { major: next(self.major, "major")?, minor: 0, patch: 0 },
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// `release.toml` of one version (README "Releases, the archive and consent"), with the fields that make its
/// verdict re-checkable (`engine`, `triggers`, `criteria_sha256`, `linked`): records written
/// before them lack them (empty), and are verified as before.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
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
    /// The engine that judged the release ([`crate::engine::engine_id`]: `redline 0.1.0;
    /// judgement 1`); `""` in a record written before engines were recorded.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub engine: String,
    /// The triggers given at release ([`Trigger`]: `pia-high-risk`), in the order given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<String>,
    /// sha256 of the version folder's [`CRITERIA_FILE`], the criteria the release was judged
    /// with; `""` in a record written before they were stored.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub criteria_sha256: String,
    /// File name → sha256 of its raw bytes, for every source file in the folder.
    pub sources: BTreeMap<String, String>,
    /// The documents the source language was compared together with (`links` in
    /// `policy.toml`: an SDK list), in the order compared; empty when it links none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub linked: Vec<LinkedText>,
    /// How the version entered the archive: `""` for `redline release`, [`ORIGIN_IMPORTED`]
    /// for `redline import` (which takes no release note).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub origin: String,
    /// The release note written by people (`[notes]`: language tag → text), from
    /// `policy/<document>.notes.toml` or `release --notes`; empty in records written before
    /// notes existed and in releases that took none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub notes: BTreeMap<String, String>,
    /// The publisher's annotations of findings (`[[annotations]]`), in the notes file's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annotations: Vec<crate::notes::Annotation>,
}

/// The `origin` of a record written by `redline import`.
pub const ORIGIN_IMPORTED: &str = "imported";

/// A document compared together with a release's source language ([`crate::linked`]): which of
/// its texts were compared, so `verify` can compare them again.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LinkedText {
    /// Its document id (`sdk`).
    pub document: String,
    /// Its title as the heading of its part of the comparison.
    pub title: String,
    /// Its file (`sdk.zh-CN.md`).
    pub file: String,
    /// The released version of it compared with (what this document's readers last saw); `""`
    /// when there was none.
    pub base: String,
    /// sha256 of its text at release (the working file); `""` when it did not exist.
    pub head: String,
}

/// A fact given at release that the texts cannot show (`release --trigger`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Trigger {
    /// `pia-high-risk`: a personal-information impact assessment reported a high risk. The
    /// policy's own update clause (十一 item 6, 个人信息安全影响评估报告表明存在高风险时) lists
    /// it among major changes, so the release is at least `major`.
    PiaHighRisk,
}

impl Trigger {
    /// Every trigger.
    pub const ALL: [Trigger; 1] = [Trigger::PiaHighRisk];

    /// Its spelling in records and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::PiaHighRisk => "pia-high-risk",
        }
    }

    /// The trigger spelled `s`.
    pub fn parse(s: &str) -> Option<Trigger> {
        Trigger::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The least level a release with this trigger has.
    pub fn floor(self) -> Level {
        match self {
            Trigger::PiaHighRisk => Level::Major,
        }
    }

    /// The summary line it adds to a release.
    pub fn summary_line(self) -> String {
        match self {
            Trigger::PiaHighRisk => format!(
                "trigger {}: an impact assessment reported a high risk (十一 item 6) ({})",
                self.as_str(),
                self.floor()
            ),
        }
    }
}

/// The file in a version folder holding the criteria the release was judged with: the text of
/// every layer ([`crate::rules::Criteria::from_layers`]), the built-in profile first.
pub const CRITERIA_FILE: &str = "criteria.layers.toml";

/// The schema of [`CRITERIA_FILE`].
pub const CRITERIA_LAYERS_SCHEMA: &str = "redline.criteria-layers/1";

/// The bytes of [`CRITERIA_FILE`] for `layers` (`(label, text)`, in compile order):
///
/// ```toml
/// schema = "redline.criteria-layers/1"
///
/// [[layers]]
/// label = "builtin"
/// text = '''
/// …the built-in profile, verbatim…
/// '''
///
/// [[layers]]
/// label = "policy/criteria.toml"
/// text = '''
/// …
/// '''
/// ```
///
/// Each text is a TOML multi-line literal string (verbatim) when it can be one, else a
/// multi-line basic string with `\`, `"` and control characters escaped.
pub fn criteria_layers_toml(layers: &[(String, String)]) -> String {
    let mut out = String::from(
        "# The criteria this version was judged with, layer by layer (redline verify judges it again).\n",
    );
    out.push_str("schema = ");
    toml_string(&mut out, CRITERIA_LAYERS_SCHEMA);
    out.push('\n');
    for (label, text) in layers {
        out.push_str("\n[[layers]]\nlabel = ");
        toml_string(&mut out, label);
        out.push_str("\ntext = ");
        let literal_ok = !text.contains("'''")
            && !text.ends_with('\'')
            && !text.chars().any(|c| (c.is_control() && c != '\n' && c != '\t') || c == '\u{7f}');
        if literal_ok {
            out.push_str("'''\n");
            out.push_str(text);
            out.push_str("'''\n");
        } else {
            out.push_str("\"\"\"\n");
            for c in text.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '"' => out.push_str("\\\""),
                    '\n' | '\t' => out.push(c),
                    c if c.is_control() => {
                        let _ = write!(out, "\\u{:04X}", c as u32);
                    }
                    c => out.push(c),
                }
            }
            out.push_str("\"\"\"\n");
        }
    }
    out
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LayersFile {
    schema: String,
    layers: Vec<LayerEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LayerEntry {
    label: String,
    text: String,
}

/// Parses [`CRITERIA_FILE`]'s bytes back into `(label, text)` layers; `label` names the file in
/// messages.
///
/// Errors: not UTF-8, not TOML, an unknown schema or field (naming the line).
pub fn parse_criteria_layers(label: &str, bytes: &[u8]) -> Result<Vec<(String, String)>> {
    let text = std::str::from_utf8(bytes).map_err(|e| Error::Io {
        path: label.to_string(),
        message: format!("invalid UTF-8 at byte {}", e.valid_up_to()),
    })?;
    let file: LayersFile = toml::from_str(text).map_err(|e| Error::toml(label, text, &e))?;
    if file.schema != CRITERIA_LAYERS_SCHEMA {
        return Err(Error::Config {
            path: label.to_string(),
            message: format!(
                "schema `{}` is not `{CRITERIA_LAYERS_SCHEMA}`; this redline cannot read it",
                file.schema
            ),
        });
    }
    Ok(file.layers.into_iter().map(|l| (l.label, l.text)).collect())
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
    /// sha256 (lower-case hex) of its `release.toml` bytes: what the next release's
    /// `previous_record` holds, and the `chain_head` of the consent manifest for the newest.
    pub record_sha256: String,
    /// The file names of `[sources]` in the order the record lists them: the document's
    /// languages, the source language first.
    pub source_order: Vec<String>,
}

impl Release {
    /// The path of one of its files (`privacy.zh-CN.md`, `release.toml`).
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The bytes of its source `name` (a file listed in `[sources]`), checked against the
    /// sha256 its record lists.
    ///
    /// Errors: `name` is not listed, the file is not a regular file of at most 64 MiB, or its
    /// bytes do not match (the archive was altered).
    pub fn source(&self, name: &str) -> Result<Vec<u8>> {
        let label = format!("archive/{}/{}/{name}", self.record.document, self.version);
        let Some(expected) = self.record.sources.get(name) else {
            return Err(Error::Refused(format!("{label} is not listed in its release.toml")));
        };
        let bytes = crate::fsutil::read_regular(&self.file(name), &label)?;
        if &sha256_hex(&bytes) != expected {
            return Err(Error::Refused(format!(
                "{label} does not match the sha256 in its release.toml; the archive was altered (run `redline verify`)"
            )));
        }
        Ok(bytes)
    }

    /// The criteria layers stored with it ([`CRITERIA_FILE`]), checked against
    /// `criteria_sha256`; `None` for a record that stores none.
    ///
    /// Errors: the file is missing, unreadable, does not match its hash, or does not parse.
    pub fn criteria_layers(&self) -> Result<Option<Vec<(String, String)>>> {
        if self.record.criteria_sha256.is_empty() {
            return Ok(None);
        }
        let label = format!("archive/{}/{}/{CRITERIA_FILE}", self.record.document, self.version);
        let bytes = crate::fsutil::read_regular(&self.file(CRITERIA_FILE), &label)?;
        if sha256_hex(&bytes) != self.record.criteria_sha256 {
            return Err(Error::Refused(format!(
                "{label} does not match criteria_sha256 in its release.toml; the archive was altered (run `redline verify`)"
            )));
        }
        parse_criteria_layers(&label, &bytes).map(Some)
    }

    /// The effective date of the record.
    ///
    /// Errors: the record's `effective` is not a `YYYY-MM-DD` date.
    pub fn effective(&self) -> Result<Date> {
        let label = record_label(&self.record.document, &self.version.to_string());
        crate::time::parse_date(&format!("{label}: effective"), &self.record.effective)
    }

    /// The release's level as recorded (`none` for a first release).
    ///
    /// Errors: the record's `level` is not a contract spelling.
    pub fn level(&self) -> Result<Level> {
        Level::parse(&self.record.level).ok_or_else(|| Error::Config {
            path: record_label(&self.record.document, &self.record.version),
            message: format!("unknown level `{}`", self.record.level),
        })
    }
}

fn record_label(document: &str, version: &str) -> String {
    format!("archive/{document}/{version}/{RECORD_FILE}")
}

/// The file name of a release record inside a version folder.
pub const RECORD_FILE: &str = "release.toml";

/// The lock file a release holds in `archive/` while it plans and writes ([`lock`]). It starts
/// with a dot and is a file, so `verify` never takes it for a document; `redline init`'s
/// `.gitignore` keeps it out of git.
pub const LOCK_FILE: &str = ".lock";

/// Who took the archive lock, as its file says: `pid = 4242`, `host = "build-1"`, `started =
/// "2026-12-08T03:12:00Z"`, one per line (a lock of an older redline holds only the process id).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LockHolder {
    /// The process id.
    pub pid: Option<u32>,
    /// The host name.
    pub host: Option<String>,
    /// When it took the lock (UTC).
    pub started: Option<String>,
}

impl LockHolder {
    /// The holder as its lock file says (unknown lines ignored).
    fn parse(text: &str) -> LockHolder {
        let mut h = LockHolder::default();
        for line in text.lines() {
            let line = line.trim();
            if let Ok(pid) = line.parse::<u32>() {
                h.pid = Some(pid);
                continue;
            }
            let Some((key, value)) = line.split_once('=') else { continue };
            let value = value.trim().trim_matches('"').to_string();
            match key.trim() {
                "pid" => h.pid = value.parse().ok(),
                "host" => h.host = Some(value),
                "started" => h.started = Some(value),
                _ => {}
            }
        }
        h
    }

    /// `process 4242 on host build-1 (since 2026-12-08T03:12:00Z)`.
    fn words(&self) -> String {
        let mut out = match self.pid {
            Some(pid) => format!("process {pid}"),
            None => "a process it does not name".to_string(),
        };
        if let Some(host) = &self.host {
            out.push_str(&format!(" on host {host}"));
        }
        if let Some(started) = &self.started {
            out.push_str(&format!(" (since {started})"));
        }
        out
    }
}

/// Whether the process holding a lock still runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Liveness {
    /// It runs (on this host): a release is in progress.
    Running,
    /// It no longer runs (on this host): the lock was left by an interrupted release.
    Gone,
    /// It cannot be told: another host, no process id, or no way to ask the system.
    Unknown,
}

/// The archive lock as found on disk ([`lock_state`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LockState {
    /// Who took it.
    pub holder: LockHolder,
    /// Whether that process still runs.
    pub liveness: Liveness,
}

impl LockState {
    /// One sentence for a note or a refusal: who holds `archive/.lock` and what it means.
    pub fn describe(&self) -> String {
        let who = self.holder.words();
        match self.liveness {
            Liveness::Running => format!(
                "archive/{LOCK_FILE} is held by {who}: a release is in progress (if that process is not a redline release, delete archive/{LOCK_FILE})"
            ),
            Liveness::Gone => format!(
                "archive/{LOCK_FILE} was left by {who}, which no longer runs: an interrupted release; the next release replaces it"
            ),
            Liveness::Unknown => format!(
                "archive/{LOCK_FILE} is held by {who}, which redline cannot check from here: if no release is running there, delete archive/{LOCK_FILE}"
            ),
        }
    }
}

/// This host's name (`""` when it cannot be read).
fn host_name() -> String {
    #[cfg(unix)]
    {
        nix::unistd::gethostname().map(|h| h.to_string_lossy().into_owned()).unwrap_or_default()
    }
    #[cfg(not(unix))]
    {
        std::env::var("COMPUTERNAME").unwrap_or_default()
    }
}

/// Whether process `pid` runs on this host.
fn liveness(pid: u32) -> Liveness {
    #[cfg(unix)]
    {
        use nix::errno::Errno;
        let Ok(raw) = i32::try_from(pid) else { return Liveness::Unknown };
        match nix::sys::signal::kill(nix::unistd::Pid::from_raw(raw), None) {
            Ok(()) | Err(Errno::EPERM) => Liveness::Running,
            Err(Errno::ESRCH) => Liveness::Gone,
            Err(_) => Liveness::Unknown,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        Liveness::Unknown
    }
}

fn state_of(text: &str) -> LockState {
    let holder = LockHolder::parse(text);
    let here = host_name();
    let same_host = holder.host.as_deref().is_none_or(|h| h == here);
    let liveness = match holder.pid {
        Some(pid) if same_host => liveness(pid),
        _ => Liveness::Unknown,
    };
    LockState { holder, liveness }
}

/// The archive lock in `archive_dir`, if there is one: who holds it and whether that process
/// still runs. `verify`, `log` and `release --dry-run` mention it.
pub fn lock_state(archive_dir: &Path) -> Option<LockState> {
    let path = archive_dir.join(LOCK_FILE);
    if !crate::fsutil::is_present(&path) {
        return None;
    }
    let text = crate::fsutil::read_regular(&path, LOCK_FILE)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    Some(state_of(&text))
}

/// An exclusive hold on `archive/` for one release: two releases at once would both plan on
/// the same last version and fork the chain. Dropping it deletes the lock file (and `archive/`
/// when the lock created it and it is still empty).
#[derive(Debug)]
pub struct ArchiveLock {
    path: PathBuf,
    created_dir: Option<PathBuf>,
    /// What happened to a lock found in the way (replaced because its process was gone).
    pub replaced: Option<String>,
}

/// Takes the archive lock: `archive_dir/.lock` appears at once with its content (a private file
/// hard-linked into place, so exactly one process succeeds and nobody reads a half-written
/// lock), naming this process, host and start time.
///
/// A lock whose process no longer runs on this host was left by an interrupted release: it is
/// replaced safely (renamed aside first, so of several processes finding it only one removes
/// it, and a lock taken meanwhile by someone else is put back), and [`ArchiveLock::replaced`]
/// says so.
///
/// Errors: [`Error::Refused`] when the lock is held by a running process, by a process on
/// another host or one it does not name (the message says whom, since when, and when to
/// delete it); an I/O error creating it.
pub fn lock(archive_dir: &Path) -> Result<ArchiveLock> {
    let created_dir = if archive_dir.exists() {
        None
    } else {
        std::fs::create_dir_all(archive_dir).map_err(|e| Error::io("archive", &e))?;
        Some(archive_dir.to_path_buf())
    };
    let remove_created = || {
        if let Some(dir) = &created_dir {
            let _ = std::fs::remove_dir(dir);
        }
    };
    let path = archive_dir.join(LOCK_FILE);
    let label = format!("archive/{LOCK_FILE}");
    let content = format!(
        "pid = {}\nhost = \"{}\"\nstarted = \"{}\"\n",
        std::process::id(),
        host_name().replace(['"', '\\', '\n'], "_"),
        crate::time::now_utc()
    );
    let mut replaced = None;
    for _ in 0..4 {
        match create_lock(archive_dir, &path, &content) {
            Ok(()) => {
                return Ok(ArchiveLock { path, created_dir, replaced });
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => {
                remove_created();
                return Err(Error::io(&label, &e));
            }
        }
        let found = match std::fs::read(&path) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue, // released meanwhile
            Err(e) => {
                remove_created();
                return Err(Error::io(&label, &e));
            }
        };
        let state = state_of(&found);
        if state.liveness != Liveness::Gone {
            remove_created();
            return Err(Error::Refused(format!(
                "another release may be in progress: {}",
                state.describe()
            )));
        }
        // Set the stale lock aside, then check that what was set aside is what was judged stale.
        let aside = archive_dir.join(format!("{LOCK_FILE}-stale-{}", std::process::id()));
        match std::fs::rename(&path, &aside) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                remove_created();
                return Err(Error::io(&label, &e));
            }
        }
        let moved = std::fs::read(&aside).map(|b| String::from_utf8_lossy(&b).into_owned());
        if moved.as_deref().ok() != Some(found.as_str()) {
            // Someone replaced it first and holds it now: give it back.
            let _ = std::fs::hard_link(&aside, &path);
            let _ = std::fs::remove_file(&aside);
            continue;
        }
        let _ = std::fs::remove_file(&aside);
        replaced = Some(format!(
            "archive/{LOCK_FILE} was left by {}, which no longer runs (an interrupted release); replaced it",
            state.holder.words()
        ));
    }
    remove_created();
    Err(Error::Refused(format!("could not take {label}: other releases keep taking it; try again")))
}

/// Creates the lock file with `content` in one step: a private file written first, then
/// hard-linked to `path` (which fails when `path` exists). Where hard links are not supported,
/// falls back to create-new and write.
fn create_lock(dir: &Path, path: &Path, content: &str) -> std::io::Result<()> {
    let tmp = dir.join(format!("{LOCK_FILE}-new-{}", std::process::id()));
    std::fs::write(&tmp, content)?;
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
        Err(_) => {
            let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(path)?;
            f.write_all(content.as_bytes())?;
            f.sync_all()
        }
    }
}

impl Drop for ArchiveLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        if let Some(dir) = &self.created_dir {
            let _ = std::fs::remove_dir(dir); // only when still empty
        }
    }
}

/// Prefix of the temporary folder a release is built in. Releases are staged where git never
/// sees them ([`staging_parent`]: inside the git directory); outside git, or when the git
/// directory is on another file system (a rename cannot cross it), inside
/// `archive/<document>/`, where the dot keeps it from being taken for a version.
pub const TEMP_PREFIX: &str = ".release-";

/// The folder of the git directory where releases are staged (`.git/redline/staging`).
const GIT_STAGING: &str = "redline/staging";

/// Where a release of `doc_dir` (`archive/<document>`, existing) is staged: the git
/// directory's `redline/staging/` when `archive_dir` is in a git work tree on the same file
/// system (so the staged folder can be renamed into place), else `doc_dir` itself.
fn staging_parent(archive_dir: &Path, doc_dir: &Path) -> PathBuf {
    let Some(git_staging) = git_staging_dir(archive_dir) else { return doc_dir.to_path_buf() };
    if std::fs::create_dir_all(&git_staging).is_err() {
        return doc_dir.to_path_buf();
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let dev = |p: &Path| std::fs::metadata(p).map(|m| m.dev()).ok();
        if dev(&git_staging).is_none() || dev(&git_staging) != dev(doc_dir) {
            return doc_dir.to_path_buf();
        }
    }
    git_staging
}

/// `<git dir>/redline/staging` of the git repository holding `archive_dir`, if any.
fn git_staging_dir(archive_dir: &Path) -> Option<PathBuf> {
    git_dir(archive_dir).map(|g| g.join(GIT_STAGING))
}

/// The git directory (`.git`, or a worktree's) of the git work tree holding `archive_dir`, if
/// any: where redline keeps what git must never see (staged releases, caches).
pub fn git_dir(archive_dir: &Path) -> Option<PathBuf> {
    let start = archive_dir.parent().unwrap_or(archive_dir);
    let git = git2::Repository::discover(start).ok()?;
    git.workdir()?;
    Some(git.path().to_path_buf())
}

/// Deletes what interrupted releases left behind: staged folders in the git directory and
/// `archive/<document>/.release-*` folders. Call it holding the lock (a staged folder is only
/// ever in use under it). Returns the paths removed, for a note.
pub fn remove_leftovers(archive_dir: &Path) -> Vec<String> {
    let mut removed = Vec::new();
    if let Some(dir) = git_staging_dir(archive_dir)
        && let Ok(entries) = std::fs::read_dir(&dir)
    {
        for e in entries.flatten() {
            if std::fs::remove_dir_all(e.path()).is_ok() {
                removed.push(format!(
                    "{GIT_STAGING}/{} in the git directory",
                    e.file_name().to_string_lossy()
                ));
            }
        }
    }
    if let Ok(docs) = std::fs::read_dir(archive_dir) {
        for doc in docs.flatten().filter(|d| d.file_type().is_ok_and(|t| t.is_dir())) {
            let Ok(entries) = std::fs::read_dir(doc.path()) else { continue };
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with(TEMP_PREFIX)
                    && e.file_type().is_ok_and(|t| t.is_dir())
                    && std::fs::remove_dir_all(e.path()).is_ok()
                {
                    removed.push(format!("archive/{}/{name}", doc.file_name().to_string_lossy()));
                }
            }
        }
    }
    removed.sort();
    removed
}

/// The released versions of `document` in `archive_dir`, oldest first.
///
/// Entries whose name is not a version (temporary folders of a release in progress, notes) and
/// files named like a version are skipped (`verify` reports them as strays). Errors: a version folder whose `release.toml` is missing, unreadable or invalid
/// (named by its repository-relative path and line).
pub fn releases(archive_dir: &Path, document: &str) -> Result<Vec<Release>> {
    let dir = archive_dir.join(document);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(format!("archive/{document}"), &e)),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(&dir, &e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(version) = Version::parse(&name) else { continue };
        if !entry.path().is_dir() {
            continue; // a stray file named like a version: `verify` reports it
        }
        let label = record_label(document, &name);
        let bytes = std::fs::read(entry.path().join(RECORD_FILE)).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::Refused(format!(
                    "archive/{document}/{name}/ has no {RECORD_FILE}: a version folder must hold its record (run `redline verify`)"
                ))
            } else {
                Error::io(&label, &e)
            }
        })?;
        let record = ReleaseRecord::parse(&label, &bytes)?;
        let source_order = source_order(&record, &bytes);
        out.push(Release {
            version,
            dir: entry.path(),
            record,
            record_sha256: sha256_hex(&bytes),
            source_order,
        });
    }
    out.sort_by_key(|r| r.version);
    Ok(out)
}

/// The names of `record.sources` in the order its bytes list them (`[sources]` lines), then any
/// the scan missed, by name.
fn source_order(record: &ReleaseRecord, bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let mut out: Vec<String> = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            inside = t == "[sources]";
            continue;
        }
        if inside
            && let Ok(table) = toml::from_str::<toml::Table>(t)
            && let Some(key) = table.keys().next()
            && record.sources.contains_key(key)
            && !out.contains(key)
        {
            out.push(key.clone());
        }
    }
    for k in record.sources.keys() {
        if !out.contains(k) {
            out.push(k.clone());
        }
    }
    out
}

/// The released version `version` of `document`, if the archive holds it.
///
/// Errors: as [`releases`].
pub fn find(archive_dir: &Path, document: &str, version: Version) -> Result<Option<Release>> {
    Ok(releases(archive_dir, document)?.into_iter().find(|r| r.version == version))
}

/// Lower-case hex sha256 of `bytes` (64 characters).
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest.iter() {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Writes `s` as a TOML basic string (double quotes; `\`, `"` and control characters escaped,
/// everything else, CJK included, as is).
fn toml_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn toml_array(out: &mut String, items: &[String]) {
    if items.len() <= 1 {
        out.push('[');
        if let Some(item) = items.first() {
            toml_string(out, item);
        }
        out.push_str("]\n");
        return;
    }
    out.push_str("[\n");
    for item in items {
        out.push_str("    ");
        toml_string(out, item);
        out.push_str(",\n");
    }
    out.push_str("]\n");
}

impl ReleaseRecord {
    /// The record's bytes, exactly as the README ("Releases, the archive and consent") lays them out: the fields in
    /// contract order, one `key = value` line each, then a blank line and the `[sources]` table.
    /// Arrays of zero or one item are written on one line, longer ones one item per line.
    /// Sources are written in `file_order` (the document's languages, source first) and any
    /// other file after them by name.
    pub fn to_toml(&self, file_order: &[String]) -> String {
        let mut out = String::new();
        let mut line = |key: &str, value: &str| {
            out.push_str(key);
            out.push_str(" = ");
            toml_string(&mut out, value);
            out.push('\n');
        };
        line("schema", &self.schema);
        line("document", &self.document);
        line("version", &self.version);
        line("previous", &self.previous);
        line("effective", &self.effective);
        line("released_at", &self.released_at);
        line("commit", &self.commit);
        let _ = writeln!(out, "dirty = {}", self.dirty);
        let mut line = |key: &str, value: &str| {
            out.push_str(key);
            out.push_str(" = ");
            toml_string(&mut out, value);
            out.push('\n');
        };
        line("level", &self.level);
        line("bump", &self.bump);
        out.push_str("qualifiers = ");
        toml_array(&mut out, &self.qualifiers);
        out.push_str("summary = ");
        toml_array(&mut out, &self.summary);
        out.push_str("previous_record = ");
        toml_string(&mut out, &self.previous_record);
        out.push('\n');
        // The fields that make the verdict re-checkable, in records that have them.
        if !self.engine.is_empty() {
            out.push_str("engine = ");
            toml_string(&mut out, &self.engine);
            out.push_str("\ntriggers = ");
            toml_array(&mut out, &self.triggers);
            out.push_str("criteria_sha256 = ");
            toml_string(&mut out, &self.criteria_sha256);
            out.push('\n');
        }
        if !self.origin.is_empty() {
            out.push_str("origin = ");
            toml_string(&mut out, &self.origin);
            out.push('\n');
        }
        out.push_str("\n[sources]\n");
        let ordered = file_order
            .iter()
            .filter(|f| self.sources.contains_key(*f))
            .chain(self.sources.keys().filter(|k| !file_order.contains(k)));
        for name in ordered {
            toml_string(&mut out, name);
            out.push_str(" = ");
            toml_string(&mut out, &self.sources[name]);
            out.push('\n');
        }
        for l in &self.linked {
            out.push_str("\n[[linked]]\n");
            for (key, value) in [
                ("document", &l.document),
                ("title", &l.title),
                ("file", &l.file),
                ("base", &l.base),
                ("head", &l.head),
            ] {
                out.push_str(key);
                out.push_str(" = ");
                toml_string(&mut out, value);
                out.push('\n');
            }
        }
        // The people's words last, as written (keys by name, so the bytes are deterministic).
        if !self.notes.is_empty() {
            out.push_str("\n[notes]\n");
            for (lang, text) in &self.notes {
                toml_string(&mut out, lang);
                out.push_str(" = ");
                toml_string(&mut out, text);
                out.push('\n');
            }
        }
        for a in &self.annotations {
            out.push_str("\n[[annotations]]\nkey = ");
            toml_string(&mut out, &a.key);
            out.push_str("\nkind = ");
            toml_string(&mut out, a.kind.as_str());
            out.push('\n');
            for (lang, text) in &a.text {
                toml_string(&mut out, lang);
                out.push_str(" = ");
                toml_string(&mut out, text);
                out.push('\n');
            }
        }
        out
    }

    /// Parses a record's bytes; `label` names the file in messages.
    ///
    /// Errors: invalid UTF-8, invalid TOML, an unknown or missing field (naming line and
    /// column), a schema other than [`RELEASE_SCHEMA`], or a `level`, `bump` or `effective`
    /// that is not a contract spelling (the README's spellings; naming the line).
    pub fn parse(label: &str, bytes: &[u8]) -> Result<ReleaseRecord> {
        let text = crate::text::decode(label, bytes)?;
        let record: ReleaseRecord =
            toml::from_str(&text).map_err(|e| Error::toml(label, &text, &e))?;
        if record.schema != RELEASE_SCHEMA {
            return Err(Error::Config {
                path: label.to_string(),
                message: format!(
                    "schema `{}` is not `{RELEASE_SCHEMA}`; this redline cannot read it",
                    record.schema
                ),
            });
        }
        let field_error = |key: &str, message: String| {
            let (line, column) = key_position(&text, key);
            Error::Toml { path: label.to_string(), line, column, message }
        };
        if Level::parse(&record.level).is_none() {
            let levels: Vec<&str> = Level::ALL.iter().map(|l| l.as_str()).collect();
            return Err(field_error(
                "level",
                format!("level `{}` is not a level ({})", record.level, levels.join(", ")),
            ));
        }
        let bumps: BTreeSet<&str> = Level::ALL.iter().map(|l| l.bump().as_str()).collect();
        if !bumps.contains(record.bump.as_str()) {
            return Err(field_error(
                "bump",
                format!("bump `{}` is not a bump (none, patch, minor, major)", record.bump),
            ));
        }
        if let Err(e) = crate::time::parse_date("effective", &record.effective) {
            return Err(field_error("effective", e.to_string()));
        }
        if let Some(t) = record.triggers.iter().find(|t| Trigger::parse(t).is_none()) {
            let known: Vec<&str> = Trigger::ALL.iter().map(|t| t.as_str()).collect();
            return Err(field_error(
                "triggers",
                format!("trigger `{t}` is not a trigger ({})", known.join(", ")),
            ));
        }
        Ok(record)
    }
}

/// The 1-based line and column of the value of the top-level `key = …` line in `text` (1, 1 when
/// the key is not on a line of its own).
fn key_position(text: &str, key: &str) -> (usize, usize) {
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            let eq = line.len() - rest.trim_start().len();
            let value = line[eq + 1..].len() - line[eq + 1..].trim_start().len();
            return (i + 1, line[..eq + 1 + value].chars().count() + 1);
        }
    }
    (1, 1)
}

/// Writes the version folder `archive_dir/<document>/<version>/` atomically: the files and the
/// record are written (and synced) into a temporary folder ([`TEMP_PREFIX`]…, where git never
/// sees it: see [`staging_parent`]), which is then renamed into place. An interrupted release
/// leaves at most a temporary folder (removed by the next release, [`remove_leftovers`]), never
/// a half-written version.
///
/// `files` are (file name, raw bytes) in the document's language order; `record.sources` must
/// hold exactly their sha256 (see [`source_hashes`]). This writes no [`CRITERIA_FILE`]
/// (`criteria_sha256` must be empty); [`stage_release`] writes one. Returns the folder written.
///
/// Errors: the version folder already exists (nothing in an existing release is ever
/// modified), `record.sources` or `criteria_sha256` does not match the bytes, or an I/O error
/// (naming the path).
pub fn write_release(
    archive_dir: &Path,
    record: &ReleaseRecord,
    files: &[(String, Vec<u8>)],
) -> Result<PathBuf> {
    stage_release(archive_dir, record, files, None)?.commit()
}

/// A version written completely into a temporary folder, not yet renamed into its place
/// ([`StagedRelease::commit`]). Dropping it deletes the temporary folder, so several releases
/// can be staged and then committed together, or none of them.
#[derive(Debug)]
pub struct StagedRelease {
    tmp: tempfile::TempDir,
    doc_dir: PathBuf,
    target: PathBuf,
    target_label: String,
}

/// The first half of [`write_release`]: writes and syncs every file and the record into a
/// temporary folder (`archive/<document>/` is created when missing). `criteria` is the bytes of
/// [`CRITERIA_FILE`] ([`criteria_layers_toml`]) when the record names their sha256
/// (`criteria_sha256`), else `None`.
///
/// Errors: as [`write_release`].
pub fn stage_release(
    archive_dir: &Path,
    record: &ReleaseRecord,
    files: &[(String, Vec<u8>)],
    criteria: Option<&[u8]>,
) -> Result<StagedRelease> {
    stage_release_with(archive_dir, record, files, criteria, &mut |_| Ok(()))
}

/// [`write_release`] with a hook called after each file is written into the temporary folder
/// (the tests inject a failure there).
#[cfg(test)]
fn write_release_with(
    archive_dir: &Path,
    record: &ReleaseRecord,
    files: &[(String, Vec<u8>)],
    after_write: &mut dyn FnMut(&Path) -> std::io::Result<()>,
) -> Result<PathBuf> {
    stage_release_with(archive_dir, record, files, None, after_write)?.commit()
}

fn stage_release_with(
    archive_dir: &Path,
    record: &ReleaseRecord,
    files: &[(String, Vec<u8>)],
    criteria: Option<&[u8]>,
    after_write: &mut dyn FnMut(&Path) -> std::io::Result<()>,
) -> Result<StagedRelease> {
    let criteria_matches = match criteria {
        Some(bytes) => sha256_hex(bytes) == record.criteria_sha256,
        None => record.criteria_sha256.is_empty(),
    };
    if source_hashes(files) != record.sources || !criteria_matches {
        return Err(Error::Refused(format!(
            "internal error: the record of {} {} does not list the sha256 of the files written",
            record.document, record.version
        )));
    }
    let doc_dir = archive_dir.join(&record.document);
    let target = doc_dir.join(&record.version);
    let target_label = format!("archive/{}/{}", record.document, record.version);
    if crate::fsutil::is_present(&target) {
        return Err(Error::Refused(format!(
            "{target_label}/ already exists; a released version is never rewritten"
        )));
    }
    std::fs::create_dir_all(&doc_dir).map_err(|e| Error::io(&doc_dir, &e))?;
    let parent = staging_parent(archive_dir, &doc_dir);
    let tmp = tempfile::Builder::new()
        .prefix(&format!("{TEMP_PREFIX}{}-", std::process::id()))
        .tempdir_in(&parent)
        .map_err(|e| Error::io(&parent, &e))?;
    let order: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    let record_bytes = record.to_toml(&order);
    // The record goes last: a folder with a record is complete.
    let all = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .chain(criteria.map(|c| (CRITERIA_FILE, c)))
        .chain(std::iter::once((RECORD_FILE, record_bytes.as_bytes())));
    for (name, bytes) in all {
        if name.contains(['/', '\\']) || name.starts_with('.') {
            return Err(Error::Refused(format!("`{name}` is not a plain file name")));
        }
        let path = tmp.path().join(name);
        let label = format!("{target_label}/{name}");
        let write = || -> std::io::Result<()> {
            let mut f = std::fs::File::create(&path)?;
            f.write_all(bytes)?;
            f.sync_all()?;
            Ok(())
        };
        write().map_err(|e| Error::io(&label, &e))?;
        after_write(&path).map_err(|e| Error::io(&label, &e))?;
    }
    Ok(StagedRelease { tmp, doc_dir, target, target_label })
}

impl StagedRelease {
    /// The folder the version will have once committed (`archive/<document>/<version>`).
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Renames the staged folder into place. Returns the version folder.
    ///
    /// Errors: the version folder appeared meanwhile (it is never replaced), or the rename
    /// failed; the temporary folder is deleted either way.
    pub fn commit(self) -> Result<PathBuf> {
        let StagedRelease { tmp, doc_dir, target, target_label } = self;
        if crate::fsutil::is_present(&target) {
            return Err(Error::Refused(format!(
                "{target_label}/ already exists; a released version is never rewritten"
            )));
        }
        let tmp_path = tmp.keep();
        if let Err(e) = std::fs::rename(&tmp_path, &target) {
            let _ = std::fs::remove_dir_all(&tmp_path);
            return Err(Error::io(&target_label, &e));
        }
        // Make the rename durable; a failure here does not undo a complete release.
        if let Ok(d) = std::fs::File::open(&doc_dir) {
            let _ = d.sync_all();
        }
        Ok(target)
    }
}

/// File name → sha256 of the bytes, as `[sources]` holds them.
pub fn source_hashes(files: &[(String, Vec<u8>)]) -> BTreeMap<String, String> {
    files.iter().map(|(n, b)| (n.clone(), sha256_hex(b))).collect()
}

/// Where a released version stands on a date (README "Releases, the archive and consent").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The version in force: the newest whose effective date is on or before the date.
    InForce,
    /// Its effective date is after the date.
    Upcoming,
    /// A newer version took effect on or before the date.
    Superseded,
}

impl Status {
    /// Words for text output (`in force`, `upcoming`, `superseded`).
    pub fn words(self) -> &'static str {
        match self {
            Status::InForce => "in force",
            Status::Upcoming => "upcoming",
            Status::Superseded => "superseded",
        }
    }
}

/// The status of each of `releases` (oldest first) on `as_of`: a version is in force from its
/// effective date; the newest version (by number) in force wins, so an imported history whose
/// dates go backwards still has exactly one version in force.
///
/// Errors: a record whose `effective` is not a date.
pub fn statuses(releases: &[Release], as_of: Date) -> Result<Vec<Status>> {
    let dates: Vec<Date> = releases.iter().map(Release::effective).collect::<Result<_>>()?;
    let in_force = (0..releases.len()).rev().find(|&i| dates[i] <= as_of);
    Ok((0..releases.len())
        .map(|i| {
            if Some(i) == in_force {
                Status::InForce
            } else if dates[i] > as_of {
                Status::Upcoming
            } else {
                Status::Superseded
            }
        })
        .collect())
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
        assert_eq!(v.bumped(Bump::Minor).unwrap().to_string(), "1.3.0");
        assert_eq!(v.bumped(Bump::Major).unwrap().to_string(), "2.0.0");
        assert_eq!(v.bumped(Bump::Patch).unwrap().to_string(), "1.2.4");
        let top = Version::parse("18446744073709551615.0.0").unwrap();
        assert_eq!(
            top.bumped(Bump::Major).unwrap_err().to_string(),
            "cannot bump 18446744073709551615.0.0 (major): its major number is the largest there is (18446744073709551615); no version can follow it"
        );
        assert_eq!(top.bumped(Bump::Minor).unwrap().to_string(), "18446744073709551615.1.0");
    }

    fn record(files: &[(String, Vec<u8>)]) -> ReleaseRecord {
        ReleaseRecord {
            schema: RELEASE_SCHEMA.to_string(),
            document: "privacy".to_string(),
            version: "2.0.0".to_string(),
            previous: "1.0.0".to_string(),
            effective: "2027-01-15".to_string(),
            released_at: "2026-12-08T03:12:00Z".to_string(),
            commit: "0123456789abcdef0123456789abcdef01234567".to_string(),
            dirty: false,
            level: "reconsent".to_string(),
            bump: "major".to_string(),
            qualifiers: vec!["separate".to_string()],
            summary: vec!["device-permissions: row added 穿山甲广告SDK (reconsent)".to_string()],
            previous_record: sha256_hex(b"previous"),
            sources: source_hashes(files),
            ..Default::default()
        }
    }

    fn files() -> Vec<(String, Vec<u8>)> {
        vec![
            ("privacy.zh-CN.md".to_string(), "# 隐私\n".as_bytes().to_vec()),
            ("privacy.en.md".to_string(), b"# Privacy\n".to_vec()),
        ]
    }

    #[test]
    fn sha256_is_lower_case_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn record_bytes_follow_the_contract_and_round_trip() {
        let files = files();
        let r = record(&files);
        let order: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
        let text = r.to_toml(&order);
        let expected = format!(
            r#"schema = "redline.release/1"
document = "privacy"
version = "2.0.0"
previous = "1.0.0"
effective = "2027-01-15"
released_at = "2026-12-08T03:12:00Z"
commit = "0123456789abcdef0123456789abcdef01234567"
dirty = false
level = "reconsent"
bump = "major"
qualifiers = ["separate"]
summary = ["device-permissions: row added 穿山甲广告SDK (reconsent)"]
previous_record = "{}"

[sources]
"privacy.zh-CN.md" = "{}"
"privacy.en.md" = "{}"
"#,
            sha256_hex(b"previous"),
            sha256_hex("# 隐私\n".as_bytes()),
            sha256_hex(b"# Privacy\n"),
        );
        assert_eq!(text, expected);
        assert_eq!(ReleaseRecord::parse("r", text.as_bytes()).unwrap(), r);
    }

    #[test]
    fn record_strings_are_escaped_and_long_arrays_split() {
        let files = files();
        let mut r = record(&files);
        r.summary = vec!["a \"quoted\" \\ path\tand\u{1}".to_string(), "second".to_string()];
        r.qualifiers = vec![];
        let text = r.to_toml(&[]);
        assert!(text.contains("qualifiers = []\n"), "{text}");
        assert!(
            text.contains(
                "summary = [\n    \"a \\\"quoted\\\" \\\\ path\\tand\\u0001\",\n    \"second\",\n]\n"
            ),
            "{text}"
        );
        // Without an order, sources come by name.
        assert!(
            text.find("\"privacy.en.md\"").unwrap() < text.find("\"privacy.zh-CN.md\"").unwrap()
        );
        assert_eq!(ReleaseRecord::parse("r", text.as_bytes()).unwrap(), r);
    }

    #[test]
    fn a_release_is_written_whole_and_listed() {
        let tmp = tempfile::tempdir().unwrap();
        let files = files();
        let r = record(&files);
        let dir = write_release(tmp.path(), &r, &files).unwrap();
        assert_eq!(dir, tmp.path().join("privacy").join("2.0.0"));
        assert_eq!(std::fs::read(dir.join("privacy.en.md")).unwrap(), b"# Privacy\n");
        let listed = releases(tmp.path(), "privacy").unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].record, r);
        let bytes = std::fs::read(dir.join(RECORD_FILE)).unwrap();
        assert_eq!(listed[0].record_sha256, sha256_hex(&bytes));
        // Only the version folder remains: no temporary folder.
        let names: Vec<_> = std::fs::read_dir(tmp.path().join("privacy"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, vec!["2.0.0".to_string()]);
        // An existing version is never rewritten.
        let err = write_release(tmp.path(), &r, &files).unwrap_err().to_string();
        assert_eq!(
            err,
            "archive/privacy/2.0.0/ already exists; a released version is never rewritten"
        );
        assert_eq!(std::fs::read(dir.join(RECORD_FILE)).unwrap(), bytes);
    }

    #[test]
    fn an_interrupted_release_leaves_the_archive_as_it_was() {
        let tmp = tempfile::tempdir().unwrap();
        let files = files();
        let mut first = record(&files);
        first.version = "1.0.0".to_string();
        write_release(tmp.path(), &first, &files).unwrap();
        let before = snapshot(tmp.path());
        let r = record(&files);
        let mut written = 0;
        // Fail after the first file of the new version is on disk.
        let err = write_release_with(tmp.path(), &r, &files, &mut |_| {
            written += 1;
            if written == 1 { Err(std::io::Error::other("disk full")) } else { Ok(()) }
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "archive/privacy/2.0.0/privacy.zh-CN.md: disk full");
        assert_eq!(written, 1);
        assert_eq!(snapshot(tmp.path()), before);
        assert!(!tmp.path().join("privacy/2.0.0").exists());
        assert_eq!(releases(tmp.path(), "privacy").unwrap().len(), 1);
    }

    #[test]
    fn a_record_that_does_not_match_the_files_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let files = files();
        let mut r = record(&files);
        r.sources.insert("privacy.en.md".to_string(), sha256_hex(b"other"));
        assert!(write_release(tmp.path(), &r, &files).is_err());
        assert!(!tmp.path().join("privacy/2.0.0").exists());
    }

    /// Every path under `dir` with its bytes (folders as empty).
    fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut out = BTreeMap::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    out.insert(p.clone(), Vec::new());
                    stack.push(p);
                } else {
                    out.insert(p.clone(), std::fs::read(&p).unwrap());
                }
            }
        }
        out
    }

    #[test]
    fn records_with_the_judgement_fields_round_trip() {
        let files = files();
        let mut r = record(&files);
        r.engine = "redline 0.1.0; judgement 1".to_string();
        r.triggers = vec!["pia-high-risk".to_string()];
        r.criteria_sha256 = sha256_hex(b"criteria");
        r.linked = vec![LinkedText {
            document: "sdk".to_string(),
            title: "第三方SDK目录".to_string(),
            file: "sdk.zh-CN.md".to_string(),
            base: "1.0.0".to_string(),
            head: sha256_hex(b"sdk"),
        }];
        let order: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
        let text = r.to_toml(&order);
        let tail = format!(
            "previous_record = \"{}\"\nengine = \"redline 0.1.0; judgement 1\"\ntriggers = [\"pia-high-risk\"]\ncriteria_sha256 = \"{}\"\n\n[sources]\n",
            sha256_hex(b"previous"),
            sha256_hex(b"criteria")
        );
        assert!(text.contains(&tail), "{text}");
        assert!(
            text.ends_with(&format!(
                "\n[[linked]]\ndocument = \"sdk\"\ntitle = \"第三方SDK目录\"\nfile = \"sdk.zh-CN.md\"\nbase = \"1.0.0\"\nhead = \"{}\"\n",
                sha256_hex(b"sdk")
            )),
            "{text}"
        );
        assert_eq!(ReleaseRecord::parse("r", text.as_bytes()).unwrap(), r);
        // An unknown trigger is refused, naming its line.
        let bad = text.replace("[\"pia-high-risk\"]", "[\"moon-phase\"]");
        let e = ReleaseRecord::parse("r", bad.as_bytes()).unwrap_err().to_string();
        assert_eq!(e, "r:15:12: trigger `moon-phase` is not a trigger (pia-high-risk)");
        // A record without them reads as before, and writes the same bytes.
        let old = record(&files);
        assert!(!old.to_toml(&order).contains("engine"));
    }

    #[test]
    fn records_with_notes_and_annotations_round_trip() {
        let files = files();
        let mut r = record(&files);
        r.origin = ORIGIN_IMPORTED.to_string();
        r.notes = [
            ("zh-CN".to_string(), "新增\"广告\"合作伙伴。".to_string()),
            ("en".to_string(), "An ad partner.".to_string()),
        ]
        .into();
        r.annotations = vec![crate::notes::Annotation {
            key: "new-sdk-ads/device-permissions/0123abcd".to_string(),
            kind: crate::notes::AnnotationKind::NotApplicable,
            text: [("zh-CN".to_string(), "不适用。".to_string())].into(),
        }];
        let order: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
        let text = r.to_toml(&order);
        assert!(text.contains("previous_record = \""), "{text}");
        assert!(text.contains("\norigin = \"imported\"\n\n[sources]\n"), "{text}");
        assert!(
            text.ends_with(
                "\n[notes]\n\"en\" = \"An ad partner.\"\n\"zh-CN\" = \"新增\\\"广告\\\"合作伙伴。\"\n\n[[annotations]]\nkey = \"new-sdk-ads/device-permissions/0123abcd\"\nkind = \"not-applicable\"\n\"zh-CN\" = \"不适用。\"\n"
            ),
            "{text}"
        );
        assert_eq!(ReleaseRecord::parse("r", text.as_bytes()).unwrap(), r);
    }

    #[test]
    fn criteria_layers_round_trip_whatever_their_text() {
        let layers = vec![
            ("builtin".to_string(), crate::rules::BUILTIN_CRITERIA.to_string()),
            (
                "policy/criteria.toml".to_string(),
                "extends = \"builtin\"\n# it's '''quoted'''\n\\ and \"\"\" too\n".to_string(),
            ),
            ("odd".to_string(), "ends with a quote'".to_string()),
            ("controls".to_string(), "a\u{5}b\tc\r\nd\\u0041".to_string()),
            ("empty".to_string(), String::new()),
        ];
        let bytes = criteria_layers_toml(&layers);
        assert_eq!(parse_criteria_layers("c", bytes.as_bytes()).unwrap(), layers);
        let plain = vec![("p".to_string(), "a = 1\n# plain text\n".to_string())];
        let bytes = criteria_layers_toml(&plain);
        assert!(bytes.contains("label = \"p\"\ntext = '''\na = 1\n# plain text\n'''\n"), "{bytes}");
        let e = parse_criteria_layers("c", b"schema = \"x\"\nlayers = []\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "c: schema `x` is not `redline.criteria-layers/1`; this redline cannot read it"
        );
        // The stored built-in layer compiles to the built-in criteria.
        let one = vec![layers[0].clone()];
        let stored = parse_criteria_layers("c", criteria_layers_toml(&one).as_bytes()).unwrap();
        let compiled = crate::rules::Criteria::from_layers(&stored).unwrap();
        assert_eq!(compiled.rules.len(), crate::rules::Criteria::builtin().rules.len());
    }

    #[test]
    fn triggers_are_spelled_and_raise_the_level() {
        assert_eq!(Trigger::parse("pia-high-risk"), Some(Trigger::PiaHighRisk));
        assert_eq!(Trigger::parse("pia"), None);
        assert_eq!(Trigger::PiaHighRisk.floor(), Level::Major);
        assert_eq!(
            Trigger::PiaHighRisk.summary_line(),
            "trigger pia-high-risk: an impact assessment reported a high risk (十一 item 6) (major)"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_stale_lock_is_replaced_and_a_live_one_respected() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("archive");
        std::fs::create_dir_all(&dir).unwrap();
        assert_eq!(lock_state(&dir), None);
        {
            let held = lock(&dir).unwrap();
            assert_eq!(held.replaced, None);
            let state = lock_state(&dir).unwrap();
            assert_eq!(state.holder.pid, Some(std::process::id()));
            assert_eq!(state.holder.host.as_deref(), Some(host_name().as_str()));
            assert!(state.holder.started.as_deref().is_some_and(|s| s.ends_with('Z')));
            assert_eq!(state.liveness, Liveness::Running);
            let e = lock(&dir).unwrap_err().to_string();
            assert!(
                e.starts_with(
                    "another release may be in progress: archive/.lock is held by process "
                ),
                "{e}"
            );
        }
        assert_eq!(lock_state(&dir), None, "dropping it releases it");
        // A process that no longer runs: replaced, and said so.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let gone = child.id();
        child.wait().unwrap();
        let host = host_name();
        std::fs::write(dir.join(LOCK_FILE), format!("pid = {gone}\nhost = \"{host}\"\n")).unwrap();
        assert_eq!(lock_state(&dir).unwrap().liveness, Liveness::Gone);
        let held = lock(&dir).unwrap();
        assert_eq!(
            held.replaced,
            Some(format!(
                "archive/.lock was left by process {gone} on host {host}, which no longer runs (an interrupted release); replaced it"
            ))
        );
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, [LOCK_FILE], "nothing set aside is left");
        drop(held);
        // Another host cannot be checked; an unnamed process neither.
        std::fs::write(dir.join(LOCK_FILE), format!("pid = {gone}\nhost = \"elsewhere\"\n"))
            .unwrap();
        assert_eq!(lock_state(&dir).unwrap().liveness, Liveness::Unknown);
        assert!(lock(&dir).is_err());
        std::fs::write(dir.join(LOCK_FILE), "").unwrap();
        assert_eq!(lock_state(&dir).unwrap().liveness, Liveness::Unknown);
        assert!(lock(&dir).is_err());
    }

    #[test]
    fn leftovers_of_interrupted_releases_are_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("archive");
        std::fs::create_dir_all(dir.join("privacy/.release-1-abc")).unwrap();
        std::fs::create_dir_all(dir.join("privacy/1.0.0")).unwrap();
        std::fs::write(dir.join("privacy/.release-1-abc/x.md"), "half").unwrap();
        assert_eq!(remove_leftovers(&dir), ["archive/privacy/.release-1-abc"]);
        assert!(dir.join("privacy/1.0.0").is_dir());
        assert!(remove_leftovers(&dir).is_empty());
    }

    #[test]
    fn statuses_pick_the_newest_version_in_force() {
        let tmp = tempfile::tempdir().unwrap();
        let files = files();
        for (v, eff) in [("1.0.0", "2026-01-10"), ("1.1.0", "2026-03-01"), ("2.0.0", "2026-02-01")]
        {
            let mut r = record(&files);
            r.version = v.to_string();
            r.effective = eff.to_string();
            write_release(tmp.path(), &r, &files).unwrap();
        }
        let rs = releases(tmp.path(), "privacy").unwrap();
        let at = |d: &str| statuses(&rs, d.parse().unwrap()).unwrap();
        use Status::*;
        assert_eq!(at("2026-01-01"), vec![Upcoming, Upcoming, Upcoming]);
        assert_eq!(at("2026-01-10"), vec![InForce, Upcoming, Upcoming]);
        assert_eq!(at("2026-02-15"), vec![Superseded, Upcoming, InForce]);
        // 2.0.0 is newer than 1.1.0, so it stays in force once both apply.
        assert_eq!(at("2026-03-01"), vec![Superseded, Superseded, InForce]);
    }
}
