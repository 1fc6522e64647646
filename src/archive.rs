//! The append-only archive: `archive/<document>/<version>/` holds the exact source bytes of every
//! language of a released version and its `release.toml` (contracts.md "Release record").

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
    /// sha256 (lower-case hex) of its `release.toml` bytes: what the next release's
    /// `previous_record` holds, and the `chain_head` of the consent manifest for the newest.
    pub record_sha256: String,
}

impl Release {
    /// The path of one of its files (`privacy.zh-CN.md`, `release.toml`).
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
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
/// with a dot and is a file, so [`verify`] never takes it for a document; `redline init`'s
/// `.gitignore` keeps it out of git.
pub const LOCK_FILE: &str = ".lock";

/// An exclusive hold on `archive/` for one release: two releases at once would both plan on
/// the same last version and fork the chain. Dropping it deletes the lock file (and `archive/`
/// when the lock created it and it is still empty).
#[derive(Debug)]
pub struct ArchiveLock {
    path: PathBuf,
    created_dir: Option<PathBuf>,
}

/// Takes the archive lock: creates `archive_dir/.lock` (create-new, so exactly one process
/// succeeds), holding the process id for whoever finds it.
///
/// Errors: [`Error::Refused`] when the lock file exists (another release is running, or one was
/// killed and its lock must be deleted by hand); an I/O error creating it.
pub fn lock(archive_dir: &Path) -> Result<ArchiveLock> {
    let created_dir = if archive_dir.exists() {
        None
    } else {
        std::fs::create_dir_all(archive_dir).map_err(|e| Error::io("archive", &e))?;
        Some(archive_dir.to_path_buf())
    };
    let path = archive_dir.join(LOCK_FILE);
    let label = format!("archive/{LOCK_FILE}");
    match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
        Ok(mut f) => {
            let _ = writeln!(f, "{}", std::process::id());
            Ok(ArchiveLock { path, created_dir })
        }
        Err(e) => {
            if let Some(dir) = &created_dir {
                let _ = std::fs::remove_dir(dir);
            }
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Err(Error::Refused(format!(
                    "another release is in progress ({label} exists); if none is, delete it"
                )))
            } else {
                Err(Error::io(&label, &e))
            }
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

/// What is wrong with a file (not a folder) named like a version in `archive/<document>/`.
const NOT_A_FOLDER: &str = "a file named like a version; a version is a folder holding release.toml and its sources, so move or delete this file";

/// Prefix of the temporary folder a release is built in, inside `archive/<document>/`. It starts
/// with a dot, so it is never taken for a version, and `verify` names leftovers of a killed
/// process.
pub const TEMP_PREFIX: &str = ".release-";

/// The released versions of `document` in `archive_dir`, oldest first.
///
/// Folders whose name is not a version (temporary folders of a release in progress, notes) are
/// skipped. Errors: a version folder whose `release.toml` is missing, unreadable or invalid
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
            return Err(Error::Refused(format!(
                "archive/{document}/{name}: {NOT_A_FOLDER} (run `redline verify`)"
            )));
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
        out.push(Release { version, dir: entry.path(), record, record_sha256: sha256_hex(&bytes) });
    }
    out.sort_by_key(|r| r.version);
    Ok(out)
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
    /// The record's bytes, exactly as contracts.md "Release record" lays them out: the fields in
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
        out.push_str("\n\n[sources]\n");
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
        out
    }

    /// Parses a record's bytes; `label` names the file in messages.
    ///
    /// Errors: invalid UTF-8, invalid TOML, an unknown or missing field (naming line and
    /// column), a schema other than [`RELEASE_SCHEMA`], or a `level`, `bump` or `effective`
    /// that is not a contract spelling (contracts.md "Enumerations"; naming the line).
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
/// record are written (and synced) into a temporary folder inside `archive_dir/<document>/`,
/// which is then renamed into place. An interrupted release leaves at most a temporary folder
/// (named [`TEMP_PREFIX`]…, never taken for a version), never a half-written version.
///
/// `files` are (file name, raw bytes) in the document's language order; `record.sources` must
/// hold exactly their sha256 (see [`source_hashes`]). Returns the folder written.
///
/// Errors: the version folder already exists (nothing in an existing release is ever
/// modified), `record.sources` does not match `files`, or an I/O error (naming the path).
pub fn write_release(
    archive_dir: &Path,
    record: &ReleaseRecord,
    files: &[(String, Vec<u8>)],
) -> Result<PathBuf> {
    stage_release(archive_dir, record, files)?.commit()
}

/// A version written completely into a temporary folder beside its final place, not yet
/// renamed into it ([`StagedRelease::commit`]). Dropping it deletes the temporary folder, so
/// several releases can be staged and then committed together, or none of them.
#[derive(Debug)]
pub struct StagedRelease {
    tmp: tempfile::TempDir,
    doc_dir: PathBuf,
    target: PathBuf,
    target_label: String,
}

/// The first half of [`write_release`]: writes and syncs every file and the record into a
/// temporary folder inside `archive_dir/<document>/` (created when missing).
///
/// Errors: as [`write_release`].
pub fn stage_release(
    archive_dir: &Path,
    record: &ReleaseRecord,
    files: &[(String, Vec<u8>)],
) -> Result<StagedRelease> {
    stage_release_with(archive_dir, record, files, &mut |_| Ok(()))
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
    stage_release_with(archive_dir, record, files, after_write)?.commit()
}

fn stage_release_with(
    archive_dir: &Path,
    record: &ReleaseRecord,
    files: &[(String, Vec<u8>)],
    after_write: &mut dyn FnMut(&Path) -> std::io::Result<()>,
) -> Result<StagedRelease> {
    if source_hashes(files) != record.sources {
        return Err(Error::Refused(format!(
            "internal error: the record of {} {} does not list the sha256 of the files written",
            record.document, record.version
        )));
    }
    let doc_dir = archive_dir.join(&record.document);
    let target = doc_dir.join(&record.version);
    let target_label = format!("archive/{}/{}", record.document, record.version);
    if target.exists() {
        return Err(Error::Refused(format!(
            "{target_label}/ already exists; a released version is never rewritten"
        )));
    }
    std::fs::create_dir_all(&doc_dir).map_err(|e| Error::io(&doc_dir, &e))?;
    let tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempdir_in(&doc_dir)
        .map_err(|e| Error::io(&doc_dir, &e))?;
    let order: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    let record_bytes = record.to_toml(&order);
    // The record goes last: a folder with a record is complete.
    let all = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
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
        if target.exists() {
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

/// Where a released version stands on a date (contracts.md "Time").
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

/// The kind of an integrity problem found by [`verify`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// A source file's bytes no longer match the sha256 its record lists.
    TamperedSource,
    /// A source file listed in the record is missing.
    MissingSource,
    /// A file in a version folder that its record does not list.
    UnlistedFile,
    /// A record changed after it was released (its successor's `previous_record` no longer
    /// matches, or its fields contradict its folder).
    EditedRecord,
    /// A version folder without `release.toml`.
    DeletedRecord,
    /// A `release.toml` that cannot be read or parsed.
    UnreadableRecord,
    /// `previous` / `previous_record` do not link to the version before.
    BrokenChain,
    /// git shows a release file changed or deleted after the commit that added it.
    Rewritten,
}

impl ProblemKind {
    /// Words for text output.
    pub fn words(self) -> &'static str {
        match self {
            ProblemKind::TamperedSource => "tampered source",
            ProblemKind::MissingSource => "missing source",
            ProblemKind::UnlistedFile => "unlisted file",
            ProblemKind::EditedRecord => "edited record",
            ProblemKind::DeletedRecord => "deleted record",
            ProblemKind::UnreadableRecord => "unreadable record",
            ProblemKind::BrokenChain => "broken chain",
            ProblemKind::Rewritten => "rewritten release",
        }
    }
}

/// One integrity problem: the repository-relative path it concerns and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IntegrityProblem {
    /// Repository-relative path (`archive/privacy/1.0.0/privacy.zh-CN.md`).
    pub path: String,
    /// What kind of problem.
    pub kind: ProblemKind,
    /// What is wrong, in words.
    pub message: String,
}

impl fmt::Display for IntegrityProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.path, self.kind.words(), self.message)
    }
}

/// The result of [`verify`].
#[derive(Debug, Clone, Default, Serialize)]
pub struct Verification {
    /// Documents checked (folders of `archive/` and the documents asked for), sorted.
    pub documents: Vec<String>,
    /// Version folders checked.
    pub versions: usize,
    /// Every problem found, in path order.
    pub problems: Vec<IntegrityProblem>,
    /// Observations that are not problems: checks skipped (no git, shallow clone), leftovers
    /// of an interrupted release.
    pub notes: Vec<String>,
}

/// Checks the archive under `root/archive/` (contracts.md "Release record"): recomputes every
/// source hash, checks that each record is readable and names its own folder, that `previous`
/// and `previous_record` link each version to the one before, and, where `root` is inside a git
/// repository with full history, that no file of a release changed or disappeared after the
/// commit that added it (in a later commit, or in the working tree compared with `HEAD`).
///
/// `documents` are checked even when their archive folder is absent; every other folder of
/// `archive/` is checked too. Problems are data, not errors.
///
/// Errors: an I/O error listing the archive, or a git failure while walking history.
pub fn verify(root: &Path, documents: &[String]) -> Result<Verification> {
    let archive_dir = root.join("archive");
    let mut docs: BTreeSet<String> = documents.iter().cloned().collect();
    match std::fs::read_dir(&archive_dir) {
        Ok(entries) => {
            for entry in entries {
                let entry = entry.map_err(|e| Error::io("archive", &e))?;
                let name = entry.file_name().to_string_lossy().into_owned();
                if entry.path().is_dir() && !name.starts_with('.') {
                    docs.insert(name);
                }
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io("archive", &e)),
    }
    let mut out = Verification { documents: docs.iter().cloned().collect(), ..Default::default() };
    for doc in &docs {
        verify_document(&archive_dir, doc, &mut out)?;
    }
    verify_git(root, &mut out)?;
    out.problems.sort_by(|a, b| (&a.path, a.kind).cmp(&(&b.path, b.kind)));
    out.problems.dedup();
    Ok(out)
}

/// Refuses to use an archive that [`verify`] finds any problem in: the commands that read
/// released versions (`check`, `log`, `show`, `consent`, `build`, `release`) call it first, so a
/// tampered source, an edited record or a broken chain is never published, compared against or
/// answered from. Checking costs what `redline verify` costs (a sha256 of every released file
/// and a walk of the history of `archive/`).
///
/// Errors: [`Error::Refused`] naming the first problem (by path) and how many more there are;
/// the errors of [`verify`].
pub fn require_intact(root: &Path, documents: &[String]) -> Result<()> {
    let v = verify(root, documents)?;
    let Some(first) = v.problems.first() else { return Ok(()) };
    let more = match v.problems.len() - 1 {
        0 => String::new(),
        1 => " (and 1 more problem)".to_string(),
        n => format!(" (and {n} more problems)"),
    };
    Err(Error::Refused(format!(
        "{first}{more}; the archive was altered, so it is not used (run `redline verify`)"
    )))
}

fn verify_document(archive_dir: &Path, doc: &str, out: &mut Verification) -> Result<()> {
    let dir = archive_dir.join(doc);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(format!("archive/{doc}"), &e)),
    };
    let mut versions = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(format!("archive/{doc}"), &e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        match Version::parse(&name) {
            Some(v) if entry.path().is_dir() => versions.push((v, name)),
            Some(_) => out.problems.push(IntegrityProblem {
                path: format!("archive/{doc}/{name}"),
                kind: ProblemKind::UnlistedFile,
                message: NOT_A_FOLDER.to_string(),
            }),
            _ if name.starts_with(TEMP_PREFIX) => out.notes.push(format!(
                "archive/{doc}/{name}: left over by an interrupted release; it is not a version and can be deleted"
            )),
            _ => out.notes.push(format!("archive/{doc}/{name}: not a version folder; ignored")),
        }
    }
    versions.sort();
    out.versions += versions.len();
    // (version, sha256 of its record bytes when readable)
    let mut previous: Option<(String, Option<String>)> = None;
    for (version, name) in versions {
        let folder = dir.join(&name);
        let rel = format!("archive/{doc}/{name}");
        let record_rel = format!("{rel}/{RECORD_FILE}");
        let problem = |path: &str, kind, message: String| IntegrityProblem {
            path: path.to_string(),
            kind,
            message,
        };
        let record_bytes = match std::fs::read(folder.join(RECORD_FILE)) {
            Ok(b) => Some(b),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                out.problems.push(problem(
                    &record_rel,
                    ProblemKind::DeletedRecord,
                    format!("the record of {version} is missing (deleted?)"),
                ));
                None
            }
            Err(e) => {
                out.problems.push(problem(
                    &record_rel,
                    ProblemKind::UnreadableRecord,
                    Error::io(&record_rel, &e).to_string(),
                ));
                None
            }
        };
        let record = match &record_bytes {
            Some(bytes) => match ReleaseRecord::parse(&record_rel, bytes) {
                Ok(r) => Some(r),
                Err(e) => {
                    out.problems.push(problem(
                        &record_rel,
                        ProblemKind::UnreadableRecord,
                        e.to_string(),
                    ));
                    None
                }
            },
            None => None,
        };
        let listed: BTreeSet<String> =
            record.as_ref().map(|r| r.sources.keys().cloned().collect()).unwrap_or_default();
        // Files in the folder.
        let mut present = BTreeSet::new();
        let files = std::fs::read_dir(&folder).map_err(|e| Error::io(&rel, &e))?;
        for f in files {
            let f = f.map_err(|e| Error::io(&rel, &e))?;
            let fname = f.file_name().to_string_lossy().into_owned();
            if fname == RECORD_FILE {
                continue;
            }
            present.insert(fname.clone());
            if record.is_some() && !listed.contains(&fname) {
                out.problems.push(problem(
                    &format!("{rel}/{fname}"),
                    ProblemKind::UnlistedFile,
                    "in the version folder but not listed in [sources] of release.toml".to_string(),
                ));
            }
        }
        if let Some(record) = &record {
            for (fname, expected) in &record.sources {
                let path = format!("{rel}/{fname}");
                if !present.contains(fname) {
                    out.problems.push(problem(
                        &path,
                        ProblemKind::MissingSource,
                        "listed in release.toml but missing".to_string(),
                    ));
                    continue;
                }
                match std::fs::read(folder.join(fname)) {
                    Ok(bytes) => {
                        let actual = sha256_hex(&bytes);
                        if &actual != expected {
                            out.problems.push(problem(
                                &path,
                                ProblemKind::TamperedSource,
                                format!("sha256 is {actual}, release.toml records {expected}"),
                            ));
                        }
                    }
                    Err(e) => out.problems.push(problem(
                        &path,
                        ProblemKind::TamperedSource,
                        Error::io(&path, &e).to_string(),
                    )),
                }
            }
            let mut wrong = Vec::new();
            if record.document != doc {
                wrong.push(format!("document is `{}`, its folder says `{doc}`", record.document));
            }
            if record.version != name {
                wrong.push(format!("version is `{}`, its folder says `{name}`", record.version));
            }
            if !wrong.is_empty() {
                out.problems.push(problem(
                    &record_rel,
                    ProblemKind::EditedRecord,
                    wrong.join("; "),
                ));
            }
            let (expected_prev, expected_hash) = match &previous {
                Some((v, h)) => (v.clone(), h.clone()),
                None => (String::new(), Some(String::new())),
            };
            if record.previous != expected_prev {
                out.problems.push(problem(
                    &record_rel,
                    ProblemKind::BrokenChain,
                    if expected_prev.is_empty() {
                        format!(
                            "previous is \"{}\" but no version before it is in the archive (deleted?)",
                            record.previous
                        )
                    } else {
                        format!(
                            "previous is \"{}\" but the version before it in the archive is {expected_prev}",
                            record.previous
                        )
                    },
                ));
            } else if let Some(expected_hash) = expected_hash
                && record.previous_record != expected_hash
            {
                if expected_prev.is_empty() {
                    out.problems.push(problem(
                        &record_rel,
                        ProblemKind::BrokenChain,
                        "previous_record must be \"\" for the first release".to_string(),
                    ));
                } else {
                    out.problems.push(problem(
                        &format!("archive/{doc}/{expected_prev}/{RECORD_FILE}"),
                        ProblemKind::EditedRecord,
                        format!(
                            "its sha256 is {expected_hash}, but {record_rel} recorded {} when {name} was released: one of the two records was edited",
                            record.previous_record
                        ),
                    ));
                }
            }
        }
        previous = Some((name, record_bytes.as_deref().map(sha256_hex)));
    }
    Ok(())
}

/// The git part of [`verify`]: a file of `archive/` changed or deleted in a commit after the one
/// that added it, or in the working tree compared with `HEAD`.
fn verify_git(root: &Path, out: &mut Verification) -> Result<()> {
    let Ok(git) = git2::Repository::discover(root) else {
        out.notes.push(
            "not a git repository: hashes and the chain were checked, history was not".to_string(),
        );
        return Ok(());
    };
    let Some(workdir) = git.workdir() else { return Ok(()) };
    let (Ok(workdir), Ok(root_abs)) = (workdir.canonicalize(), root.canonicalize()) else {
        return Ok(());
    };
    let Ok(rel_root) = root_abs.strip_prefix(&workdir) else { return Ok(()) };
    let mut parts: Vec<String> =
        rel_root.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    parts.push("archive".to_string());
    let prefix = parts.join("/");
    let head = match git.head() {
        Ok(h) => h.peel_to_commit().map_err(|e| Error::Git(format!("cannot read HEAD: {e}")))?,
        Err(_) => return Ok(()), // no commit yet: nothing committed to protect
    };
    let git_err = |what: &str, e: git2::Error| Error::Git(format!("{what}: {}", e.message()));
    // The working tree against HEAD.
    let head_files = archive_files(&git, &head, &prefix)?;
    for (path, id) in &head_files {
        let Some(rel_to_root) = path.strip_prefix(&format!("{prefix}/")) else { continue };
        let label = format!("archive/{rel_to_root}");
        match std::fs::read(root.join("archive").join(rel_to_root)) {
            Ok(bytes) => {
                let now = git2::Oid::hash_object(git2::ObjectType::Blob, &bytes)
                    .map_err(|e| git_err("hashing", e))?;
                if now != *id {
                    out.problems.push(IntegrityProblem {
                        path: label,
                        kind: ProblemKind::Rewritten,
                        message: format!(
                            "differs from the committed file (HEAD {}); a released file is never modified",
                            short(&head.id())
                        ),
                    });
                }
            }
            Err(_) => out.problems.push(IntegrityProblem {
                path: label,
                kind: ProblemKind::Rewritten,
                message: format!(
                    "committed in HEAD {} but deleted from the working tree",
                    short(&head.id())
                ),
            }),
        }
    }
    if git.is_shallow() {
        out.notes.push(
            "shallow clone: the history of archive/ was not checked; fetch full history (`git fetch --unshallow`, or `fetch-depth: 0` in CI) to check it"
                .to_string(),
        );
        return Ok(());
    }
    // Every commit from HEAD, parents before children.
    let mut walk = git.revwalk().map_err(|e| git_err("walking history", e))?;
    walk.push(head.id()).map_err(|e| git_err("walking history", e))?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)
        .map_err(|e| git_err("walking history", e))?;
    // path -> (blob, commit that added it)
    let mut first: BTreeMap<String, (git2::Oid, git2::Oid)> = BTreeMap::new();
    let mut flagged: BTreeSet<String> = BTreeSet::new();
    let mut cache: BTreeMap<git2::Oid, BTreeMap<String, git2::Oid>> = BTreeMap::new();
    for oid in walk {
        let oid = oid.map_err(|e| git_err("walking history", e))?;
        let commit = git.find_commit(oid).map_err(|e| git_err("reading a commit", e))?;
        let files = archive_files_cached(&git, &commit, &prefix, &mut cache)?;
        let parents: Vec<BTreeMap<String, git2::Oid>> = commit
            .parents()
            .map(|p| archive_files_cached(&git, &p, &prefix, &mut cache))
            .collect::<Result<_>>()?;
        for (path, id) in &files {
            match first.get(path) {
                None => {
                    first.insert(path.clone(), (*id, oid));
                }
                Some((orig, added)) if orig != id && flagged.insert(path.clone()) => {
                    out.problems.push(IntegrityProblem {
                        path: display_path(path, &prefix),
                        kind: ProblemKind::Rewritten,
                        message: format!(
                            "changed in commit {} after commit {} added it",
                            short(&oid),
                            short(added)
                        ),
                    });
                }
                _ => {}
            }
        }
        for parent in &parents {
            for path in parent.keys() {
                if !files.contains_key(path) && flagged.insert(path.clone()) {
                    out.problems.push(IntegrityProblem {
                        path: display_path(path, &prefix),
                        kind: ProblemKind::Rewritten,
                        message: format!("deleted in commit {}", short(&oid)),
                    });
                }
            }
        }
    }
    Ok(())
}

fn short(oid: &git2::Oid) -> String {
    oid.to_string()[..10].to_string()
}

fn display_path(path: &str, prefix: &str) -> String {
    match path.strip_prefix(&format!("{prefix}/")) {
        Some(rest) => format!("archive/{rest}"),
        None => path.to_string(),
    }
}

fn archive_files_cached(
    git: &git2::Repository,
    commit: &git2::Commit<'_>,
    prefix: &str,
    cache: &mut BTreeMap<git2::Oid, BTreeMap<String, git2::Oid>>,
) -> Result<BTreeMap<String, git2::Oid>> {
    let tree =
        commit.tree().map_err(|e| Error::Git(format!("reading a commit: {}", e.message())))?;
    let key = match tree.get_path(Path::new(prefix)) {
        Ok(entry) => entry.id(),
        Err(_) => return Ok(BTreeMap::new()),
    };
    if let Some(files) = cache.get(&key) {
        return Ok(files.clone());
    }
    let files = archive_files(git, commit, prefix)?;
    cache.insert(key, files.clone());
    Ok(files)
}

/// The files (blobs) under `prefix` in `commit`'s tree: repository path → blob id.
fn archive_files(
    git: &git2::Repository,
    commit: &git2::Commit<'_>,
    prefix: &str,
) -> Result<BTreeMap<String, git2::Oid>> {
    let err =
        |e: git2::Error| Error::Git(format!("reading {prefix}/ at a commit: {}", e.message()));
    let tree = commit.tree().map_err(err)?;
    let Ok(entry) = tree.get_path(Path::new(prefix)) else { return Ok(BTreeMap::new()) };
    let Ok(sub) = git.find_tree(entry.id()) else { return Ok(BTreeMap::new()) };
    let mut out = BTreeMap::new();
    sub.walk(git2::TreeWalkMode::PreOrder, |dir, e| {
        if e.kind() == Some(git2::ObjectType::Blob) {
            out.insert(format!("{prefix}/{dir}{}", e.name().unwrap_or("")), e.id());
        }
        git2::TreeWalkResult::Ok
    })
    .map_err(err)?;
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
