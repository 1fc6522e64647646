//! `redline verify`: is the archive what was released? Every reader of the archive (`check`,
//! `lint`, `log`, `show`, `consent`, `build`, `release`) asks first ([`require_intact`]).
//!
//! **What is checked.** Each version folder: its record parses and names its folder, every file
//! it lists has the sha256 it lists, is a regular file (not a symbolic link) and not executable,
//! the version folder is a real folder, and `previous` / `previous_record` chain it to the
//! version before. With git history, each archived file (a record, a source it lists, the
//! criteria it stores) must hold the bytes and mode of the commit that first added it,
//! whatever happened in between: an edit that was reverted is no problem, an edit that stands
//! is, and so is a file deleted since. Files are identified by their place in the archive
//! (`<document>/<version>/<file>`), wherever the archive stood in each commit: a move of the
//! archive (`git mv archive legal/archive`) is followed through the version folders and records
//! it holds, not git's rename detection, so a move made together with an edit is still an edit.
//! Finally each release whose record names its engine is judged again from the archived texts,
//! its stored criteria and its triggers; a level, bump, qualifiers or summary that differ under
//! the same engine mean the record was forged (under another engine they are information).
//!
//! **What is not a problem.** A stray file (a `.DS_Store`, a folder left by a killed release,
//! a file in a version folder that its record does not list) is reported with the command that
//! removes it and stops nothing. A checkout whose line endings git converted (`core.autocrlf`)
//! is reported as such, with the fix: the released bytes are intact in git.

use crate::archive::{
    self, CRITERIA_FILE, LockState, RECORD_FILE, Release, ReleaseRecord, TEMP_PREFIX, Version,
    sha256_hex,
};
use crate::error::{Error, Result};
use crate::repo::PolicyRepo;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::Path;

/// The kind of a problem [`verify`] finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// A file's bytes no longer match the sha256 its record lists.
    TamperedSource,
    /// A file listed in the record is missing.
    MissingSource,
    /// A file in a version folder that its record does not list: a stray, which stops nothing.
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
    /// git shows an archived file changed or deleted after the commit that added it.
    Rewritten,
    /// A file or folder of `archive/` that is not part of any release: a stray, which stops
    /// nothing.
    StrayFile,
    /// A file whose line endings git converted on checkout (`core.autocrlf`): not tampering,
    /// but the bytes on disk are not the released ones until it is checked out again.
    LineEndings,
    /// An archived file that became executable.
    ModeChanged,
    /// A symbolic link where a version folder or an archived file must be.
    SymbolicLink,
    /// The recorded level, bump, qualifiers or summary differ from what the same engine
    /// computes again from the archived texts, criteria and triggers.
    ForgedVerdict,
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
            ProblemKind::StrayFile => "stray file",
            ProblemKind::LineEndings => "converted line endings",
            ProblemKind::ModeChanged => "changed mode",
            ProblemKind::SymbolicLink => "symbolic link",
            ProblemKind::ForgedVerdict => "forged verdict",
        }
    }

    /// Whether it makes the archive unusable (readers refuse it, `verify` exits 1). Strays do
    /// not: they are not part of any release.
    pub fn blocks(self) -> bool {
        !matches!(self, ProblemKind::UnlistedFile | ProblemKind::StrayFile)
    }
}

/// One problem: the repository-relative path it concerns, what is wrong, and how to recover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IntegrityProblem {
    /// Path relative to the policy repository (`archive/privacy/1.0.0/privacy.zh-CN.md`).
    pub path: String,
    /// What kind of problem.
    pub kind: ProblemKind,
    /// What is wrong, in words.
    pub message: String,
    /// How to recover: a command to run from the policy repository's folder, or what to do.
    pub fix: String,
    /// Whether it makes the archive unusable ([`ProblemKind::blocks`]).
    pub blocks: bool,
}

impl IntegrityProblem {
    fn new(path: impl Into<String>, kind: ProblemKind, message: impl Into<String>) -> Self {
        IntegrityProblem {
            path: path.into(),
            kind,
            message: message.into(),
            fix: String::new(),
            blocks: kind.blocks(),
        }
    }
}

impl fmt::Display for IntegrityProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.path, self.kind.words(), self.message)
    }
}

/// The result of [`verify`].
#[derive(Debug, Clone, Default, Serialize)]
pub struct Verification {
    /// Documents checked (folders of `archive/` and the documents of `policy.toml`), sorted.
    pub documents: Vec<String>,
    /// Version folders checked.
    pub versions: usize,
    /// Releases judged again (those whose record names its engine).
    pub rejudged: usize,
    /// Every problem found, in path order; strays included (`blocks` is false for them).
    pub problems: Vec<IntegrityProblem>,
    /// Observations that are not problems: checks skipped (no git, shallow clone), releases
    /// judged differently by another engine, a lock.
    pub notes: Vec<String>,
    /// The archive lock, when one is there.
    pub lock: Option<LockState>,
    /// Releases recorded by another engine whose verdict this one computes differently (also
    /// in `notes`): information, but what readers repeat is the recorded verdict.
    pub disagreements: Vec<String>,
}

impl Verification {
    /// The problems that make the archive unusable.
    pub fn blocking(&self) -> impl Iterator<Item = &IntegrityProblem> {
        self.problems.iter().filter(|p| p.blocks)
    }

    /// Whether nothing blocks.
    pub fn intact(&self) -> bool {
        self.blocking().next().is_none()
    }
}

/// Quotes `s` for a POSIX shell when it needs it.
fn sh(s: &str) -> String {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"._/@+-=:,".contains(&b)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// What a line-ending problem's fix says.
const LINE_ENDINGS_FIX: &str = "keep archived files byte-exact: add the line `/archive/** -text` to a .gitattributes beside policy/ (redline init writes it) and commit it, then check the archive out again: rm -r archive && git checkout -- archive";

/// Checks the archive of `repo` (see the module documentation). Problems are data, not errors.
///
/// Errors: an I/O error listing the archive, or a git failure while walking history.
pub fn verify(repo: &PolicyRepo) -> Result<Verification> {
    verify_with(repo, false)
}

/// [`verify`]; with `trust_cache`, a release this engine already judged again and found as
/// recorded (same record, same predecessor: [`JudgedCache`]) is not judged again. `redline
/// verify` always judges every release; the readers trust the cache.
fn verify_with(repo: &PolicyRepo, trust_cache: bool) -> Result<Verification> {
    let root = &repo.root;
    let archive_dir = repo.archive_dir();
    let mut out = Verification { lock: archive::lock_state(&archive_dir), ..Default::default() };
    if let Some(lock) = &out.lock {
        out.notes.push(lock.describe());
    }
    let mut docs: BTreeSet<String> = repo.config.documents.iter().map(|d| d.id.clone()).collect();
    match std::fs::read_dir(&archive_dir) {
        Ok(entries) => {
            for entry in entries {
                let entry = entry.map_err(|e| Error::io("archive", &e))?;
                let name = entry.file_name().to_string_lossy().into_owned();
                let rel = format!("archive/{name}");
                let Ok(file_type) = entry.file_type() else { continue };
                if file_type.is_symlink() {
                    out.problems.push(IntegrityProblem::new(
                        rel,
                        ProblemKind::SymbolicLink,
                        link_words(
                            &entry.path(),
                            "a document folder of the archive is a real folder",
                        ),
                    ));
                } else if file_type.is_dir() && !name.starts_with('.') {
                    docs.insert(name);
                } else if !is_archive_root_file(&name) {
                    out.problems.push(IntegrityProblem::new(
                        rel,
                        ProblemKind::StrayFile,
                        "not part of any release (archive/ holds one folder per document)",
                    ));
                }
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io("archive", &e)),
    }
    out.documents = docs.iter().cloned().collect();
    for doc in &docs {
        verify_document(&archive_dir, doc, &mut out)?;
    }
    let git = verify_git(root, &mut out)?;
    let mut cache = JudgedCache::load(&archive_dir);
    rejudge(repo, &docs, &mut out, &mut cache, trust_cache);
    cache.save();
    // One problem per path and kind; the first found says it best.
    let mut seen = BTreeSet::new();
    out.problems.retain(|p| seen.insert((p.path.clone(), p.kind)));
    for p in &mut out.problems {
        p.fix = fix(p, git.as_ref());
    }
    out.problems.sort_by(|a, b| (&a.path, a.kind).cmp(&(&b.path, b.kind)));
    Ok(out)
}

/// Files that may sit directly in `archive/` (the lock, its transient companions, git's own
/// per-folder files).
fn is_archive_root_file(name: &str) -> bool {
    name == archive::LOCK_FILE
        || name.starts_with(&format!("{}-", archive::LOCK_FILE))
        || name == ".gitattributes"
        || name == ".gitignore"
}

/// `is a symbolic link to X; <why>`.
fn link_words(path: &Path, why: &str) -> String {
    match std::fs::read_link(path) {
        Ok(t) => format!("is a symbolic link to `{}`; {why}", t.display()),
        Err(_) => format!("is a symbolic link; {why}"),
    }
}

/// Refuses to use an archive that [`verify`] finds a blocking problem in: the commands that
/// read released versions call it first, so a tampered source, an edited or forged record or a
/// broken chain is never published, compared against or answered from. Strays do not stop
/// them. Checking costs what `redline verify` costs.
///
/// Returns the warnings a reader should show: releases another engine judged differently from
/// this one (their recorded levels are what `log`, the site and `consent.json` repeat).
///
/// Errors: [`Error::Refused`] naming the first blocking problem (by path), how to recover, and
/// how many more there are; the errors of [`verify`].
pub fn require_intact(repo: &PolicyRepo) -> Result<Vec<String>> {
    let v = verify_with(repo, true)?;
    let blocking: Vec<&IntegrityProblem> = v.blocking().collect();
    let Some(first) = blocking.first() else { return Ok(v.disagreements) };
    let more = match blocking.len() - 1 {
        0 => String::new(),
        1 => " (and 1 more problem)".to_string(),
        n => format!(" (and {n} more problems)"),
    };
    let what = if blocking.iter().all(|p| p.kind == ProblemKind::LineEndings) {
        "git converted the archive's line endings, so it is not used until it is checked out again"
    } else {
        "the archive was altered, so it is not used"
    };
    Err(Error::Refused(format!(
        "{first}; to recover: {}{more}; {what} (run `redline verify`)",
        first.fix
    )))
}

/// `bytes` with every CRLF turned into LF (undoing git's `core.autocrlf` on checkout).
fn crlf_to_lf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i += 1;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// Whether `now` is `released` with its LF line endings turned into CRLF (what `core.autocrlf`
/// does on checkout), and differs from it.
fn is_converted(released: &[u8], now: &[u8]) -> bool {
    now != released && now.windows(2).any(|w| w == b"\r\n") && crlf_to_lf(now) == released
}

#[cfg(unix)]
fn executable(meta: &std::fs::Metadata) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = meta.permissions().mode() & 0o777;
    (mode & 0o111 != 0).then_some(mode)
}

#[cfg(not(unix))]
fn executable(_meta: &std::fs::Metadata) -> Option<u32> {
    None
}

/// Reads an archived file for checking: its bytes, or the problem that stops reading it (a
/// symbolic link, not a regular file, over the size cap). Symbolic links and modes are
/// reported into `out`.
fn read_archived(path: &Path, rel: &str, out: &mut Verification) -> Option<Vec<u8>> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if meta.file_type().is_symlink() {
        out.problems.push(IntegrityProblem::new(
            rel,
            ProblemKind::SymbolicLink,
            link_words(path, "an archived file is a regular file holding the released bytes"),
        ));
        return None;
    }
    if let Some(mode) = executable(&meta) {
        out.problems.push(IntegrityProblem::new(
            rel,
            ProblemKind::ModeChanged,
            format!("is executable (mode {mode:o}); an archived file is plain data (mode 644)"),
        ));
    }
    match crate::fsutil::read_regular(path, rel) {
        Ok(b) => Some(b),
        Err(e) => {
            out.problems.push(IntegrityProblem::new(
                rel,
                ProblemKind::TamperedSource,
                e.to_string()
                    .strip_prefix(&format!("{rel}: "))
                    .unwrap_or(&e.to_string())
                    .to_string(),
            ));
            None
        }
    }
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
        let rel = format!("archive/{doc}/{name}");
        let Ok(file_type) = entry.file_type() else { continue };
        match Version::parse(&name) {
            Some(v) if file_type.is_dir() => versions.push((v, name)),
            Some(v) if file_type.is_symlink() && entry.path().is_dir() => {
                out.problems.push(IntegrityProblem::new(
                    &rel,
                    ProblemKind::SymbolicLink,
                    link_words(&entry.path(), "a version folder is a real folder holding the released files"),
                ));
                versions.push((v, name));
            }
            Some(_) => out.problems.push(IntegrityProblem::new(
                rel,
                ProblemKind::StrayFile,
                "a file named like a version; a version is a folder holding release.toml and its sources",
            )),
            None if name.starts_with(TEMP_PREFIX) => out.problems.push(IntegrityProblem::new(
                rel,
                ProblemKind::StrayFile,
                "left over by an interrupted release; it is not a version (the next release removes it)",
            )),
            None => out.problems.push(IntegrityProblem::new(
                rel,
                ProblemKind::StrayFile,
                "not part of any release (a document's folder holds one folder per version)",
            )),
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
        let record_path = folder.join(RECORD_FILE);
        let record_bytes = if !crate::fsutil::is_present(&record_path) {
            out.problems.push(IntegrityProblem::new(
                &record_rel,
                ProblemKind::DeletedRecord,
                format!("the record of {version} is missing (deleted?)"),
            ));
            None
        } else {
            read_archived(&record_path, &record_rel, out).map(|bytes| {
                // redline writes records with LF only (a CR inside a value is escaped), so CRLF
                // in one is git's conversion: check the record as released.
                if bytes.contains(&b'\r') {
                    out.problems.push(IntegrityProblem::new(
                        &record_rel,
                        ProblemKind::LineEndings,
                        "its line endings were converted to CRLF on checkout (git's core.autocrlf); with LF line endings it is the released record",
                    ));
                    crlf_to_lf(&bytes)
                } else {
                    bytes
                }
            })
        };
        let record = match &record_bytes {
            Some(bytes) => match ReleaseRecord::parse(&record_rel, bytes) {
                Ok(r) => Some(r),
                Err(e) => {
                    out.problems.push(IntegrityProblem::new(
                        &record_rel,
                        ProblemKind::UnreadableRecord,
                        e.to_string(),
                    ));
                    None
                }
            },
            None => None,
        };
        let mut listed: BTreeMap<String, String> =
            record.as_ref().map(|r| r.sources.clone()).unwrap_or_default();
        if let Some(r) = &record
            && !r.criteria_sha256.is_empty()
        {
            listed.insert(CRITERIA_FILE.to_string(), r.criteria_sha256.clone());
        }
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
            if record.is_some() && !listed.contains_key(&fname) {
                out.problems.push(IntegrityProblem::new(
                    format!("{rel}/{fname}"),
                    ProblemKind::UnlistedFile,
                    "in the version folder but not listed in [sources] of release.toml",
                ));
            }
        }
        if let Some(record) = &record {
            for (fname, expected) in &listed {
                let path = format!("{rel}/{fname}");
                if !present.contains(fname) {
                    out.problems.push(IntegrityProblem::new(
                        &path,
                        ProblemKind::MissingSource,
                        "listed in release.toml but missing",
                    ));
                    continue;
                }
                let Some(bytes) = read_archived(&folder.join(fname), &path, out) else { continue };
                let actual = sha256_hex(&bytes);
                if &actual == expected {
                    continue;
                }
                if bytes.windows(2).any(|w| w == b"\r\n")
                    && &sha256_hex(&crlf_to_lf(&bytes)) == expected
                {
                    out.problems.push(IntegrityProblem::new(
                        &path,
                        ProblemKind::LineEndings,
                        "its line endings were converted to CRLF on checkout (git's core.autocrlf); with LF line endings it has the sha256 release.toml records",
                    ));
                } else {
                    let which = if fname == CRITERIA_FILE { "criteria_sha256 in " } else { "" };
                    out.problems.push(IntegrityProblem::new(
                        &path,
                        ProblemKind::TamperedSource,
                        format!("sha256 is {actual}, {which}release.toml records {expected}"),
                    ));
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
                out.problems.push(IntegrityProblem::new(
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
                out.problems.push(IntegrityProblem::new(
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
                    out.problems.push(IntegrityProblem::new(
                        &record_rel,
                        ProblemKind::BrokenChain,
                        "previous_record must be \"\" for the first release",
                    ));
                } else {
                    out.problems.push(IntegrityProblem::new(
                        format!("archive/{doc}/{expected_prev}/{RECORD_FILE}"),
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

// ---------------------------------------------------------------------------------------------
// git

/// An archived file as first committed.
#[derive(Debug, Clone)]
struct Seen {
    /// The commit that first added it.
    commit: git2::Oid,
    /// Its blob and file mode then.
    blob: git2::Oid,
    mode: i32,
    /// Its path in that commit's tree.
    path: String,
}

/// What git says about the archive, for checks and fixes.
struct GitFacts {
    /// Where the archive is in the git tree now (`archive`, `legal/archive`).
    prefix: String,
    /// Archived files (`<document>/<version>/<file>`) as first added.
    first: BTreeMap<String, Seen>,
    /// The keys of `first` missing from the working tree.
    gone: BTreeSet<String>,
    /// Paths under `archive/` (policy-repository relative) that git tracks (index or HEAD).
    tracked: BTreeSet<String>,
}

/// Keys of the archive tree: `<document>/<version>/<file>` → (blob, mode), every blob under it.
type ArchiveFiles = BTreeMap<String, (git2::Oid, i32)>;

/// Reads git objects for the history check, caching by object id.
struct Walker<'r> {
    git: &'r git2::Repository,
    files: HashMap<git2::Oid, std::sync::Arc<ArchiveFiles>>,
    archived: HashMap<git2::Oid, std::sync::Arc<BTreeSet<String>>>,
    listed: HashMap<git2::Oid, BTreeSet<String>>,
    archives: HashMap<git2::Oid, std::sync::Arc<Vec<(String, git2::Oid)>>>,
}

fn git_err(what: &str, e: git2::Error) -> Error {
    Error::Git(format!("{what}: {}", e.message()))
}

impl<'r> Walker<'r> {
    fn new(git: &'r git2::Repository) -> Self {
        Walker {
            git,
            files: HashMap::new(),
            archived: HashMap::new(),
            listed: HashMap::new(),
            archives: HashMap::new(),
        }
    }

    /// The archive tree at `path` in `commit`'s tree, if there is one.
    fn archive_tree(&self, commit: &git2::Commit<'_>, path: &str) -> Result<Option<git2::Oid>> {
        let tree = commit.tree().map_err(|e| git_err("reading a commit", e))?;
        Ok(match tree.get_path(Path::new(path)) {
            Ok(e) if e.kind() == Some(git2::ObjectType::Tree) => Some(e.id()),
            _ => None,
        })
    }

    /// Every blob under the archive tree `tree`, by key.
    fn files(&mut self, tree: git2::Oid) -> Result<std::sync::Arc<ArchiveFiles>> {
        if let Some(f) = self.files.get(&tree) {
            return Ok(f.clone());
        }
        let t = self.git.find_tree(tree).map_err(|e| git_err("reading the archive", e))?;
        let mut out = ArchiveFiles::new();
        t.walk(git2::TreeWalkMode::PreOrder, |dir, e| {
            if e.kind() == Some(git2::ObjectType::Blob) {
                out.insert(format!("{dir}{}", e.name().unwrap_or("")), (e.id(), e.filemode()));
            }
            git2::TreeWalkResult::Ok
        })
        .map_err(|e| git_err("reading the archive", e))?;
        let out = std::sync::Arc::new(out);
        self.files.insert(tree, out.clone());
        Ok(out)
    }

    /// The file names a record blob lists (its sources and, when stored, its criteria file);
    /// nothing when it does not parse.
    fn listed(&mut self, record_blob: git2::Oid) -> BTreeSet<String> {
        if let Some(l) = self.listed.get(&record_blob) {
            return l.clone();
        }
        let mut out = BTreeSet::new();
        if let Ok(blob) = self.git.find_blob(record_blob)
            && let Ok(r) = ReleaseRecord::parse("release.toml", &crlf_to_lf(blob.content()))
        {
            out.extend(r.sources.keys().cloned());
            if !r.criteria_sha256.is_empty() {
                out.insert(CRITERIA_FILE.to_string());
            }
        }
        self.listed.insert(record_blob, out.clone());
        out
    }

    /// The archived keys of the archive tree `tree`: records of version folders, and the files
    /// their record lists.
    fn archived(&mut self, tree: git2::Oid) -> Result<std::sync::Arc<BTreeSet<String>>> {
        if let Some(a) = self.archived.get(&tree) {
            return Ok(a.clone());
        }
        let files = self.files(tree)?;
        let mut out = BTreeSet::new();
        for (key, (blob, _)) in files.iter() {
            let parts: Vec<&str> = key.split('/').collect();
            if parts.len() == 3 && Version::parse(parts[1]).is_some() && parts[2] == RECORD_FILE {
                out.insert(key.clone());
                let folder = format!("{}/{}/", parts[0], parts[1]);
                for name in self.listed(*blob) {
                    let k = format!("{folder}{name}");
                    if files.contains_key(&k) {
                        out.insert(k);
                    }
                }
            }
        }
        let out = std::sync::Arc::new(out);
        self.archived.insert(tree, out.clone());
        Ok(out)
    }

    /// The version folders (`<document>/<version>`) of an archive tree.
    fn versions(&mut self, tree: git2::Oid) -> Result<BTreeSet<String>> {
        Ok(self
            .archived(tree)?
            .iter()
            .filter_map(|k| k.strip_suffix(&format!("/{RECORD_FILE}")).map(str::to_string))
            .collect())
    }

    /// Every tree named `archive` holding at least one version folder with a record, anywhere
    /// in `tree`: (path, tree id).
    fn archives_in(&mut self, tree: git2::Oid) -> Result<std::sync::Arc<Vec<(String, git2::Oid)>>> {
        if let Some(a) = self.archives.get(&tree) {
            return Ok(a.clone());
        }
        let t = self.git.find_tree(tree).map_err(|e| git_err("reading a tree", e))?;
        let subtrees: Vec<(String, git2::Oid)> = t
            .iter()
            .filter(|e| e.kind() == Some(git2::ObjectType::Tree))
            .map(|e| (e.name().unwrap_or("").to_string(), e.id()))
            .collect();
        let mut out = Vec::new();
        for (name, id) in subtrees {
            if name == "archive" && !self.versions(id)?.is_empty() {
                out.push((name, id));
                continue;
            }
            for (path, a) in self.archives_in(id)?.iter() {
                out.push((format!("{name}/{path}"), *a));
            }
        }
        let out = std::sync::Arc::new(out);
        self.archives.insert(tree, out.clone());
        Ok(out)
    }
}

/// The git part of [`verify`]: every archived file in the working tree must hold the bytes and
/// mode of the commit that first added it, and none may have disappeared. Returns what git
/// knows, for the fixes; `None` outside git.
fn verify_git(root: &Path, out: &mut Verification) -> Result<Option<GitFacts>> {
    let Ok(git) = git2::Repository::discover(root) else {
        out.notes.push(
            "not a git repository: hashes and the chain were checked, history was not".to_string(),
        );
        return Ok(None);
    };
    let Some(workdir) = git.workdir() else { return Ok(None) };
    let (Ok(workdir), Ok(root_abs)) = (workdir.canonicalize(), root.canonicalize()) else {
        return Ok(None);
    };
    let Ok(rel_root) = root_abs.strip_prefix(&workdir) else { return Ok(None) };
    let mut parts: Vec<String> =
        rel_root.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let root_prefix = parts.join("/");
    parts.push("archive".to_string());
    let prefix = parts.join("/");
    let mut facts = GitFacts {
        prefix: prefix.clone(),
        first: BTreeMap::new(),
        gone: BTreeSet::new(),
        tracked: BTreeSet::new(),
    };
    // Tracked paths under archive/, for the fixes of strays (git rm, or rm).
    if let Ok(index) = git.index() {
        for e in index.iter() {
            let p = String::from_utf8_lossy(&e.path).into_owned();
            let rel = if root_prefix.is_empty() {
                Some(p.as_str())
            } else {
                p.strip_prefix(&format!("{root_prefix}/"))
            };
            if let Some(rel) = rel
                && rel.starts_with("archive/")
            {
                facts.tracked.insert(rel.to_string());
            }
        }
    }
    let head = match git.head().and_then(|h| h.peel_to_commit()) {
        Ok(h) => h,
        Err(_) => return Ok(Some(facts)), // no commit yet: nothing committed to protect
    };
    let mut walker = Walker::new(&git);
    let head_tree = walker.archive_tree(&head, &prefix)?;
    let head_files: ArchiveFiles = match head_tree {
        Some(t) => (*walker.files(t)?).clone(),
        None => ArchiveFiles::new(),
    };
    for key in head_files.keys() {
        facts.tracked.insert(format!("archive/{key}"));
    }
    let head_archived: BTreeSet<String> = match head_tree {
        Some(t) => (*walker.archived(t)?).clone(),
        None => BTreeSet::new(),
    };
    // commit that last changed (bytes or mode) / deleted each archived key, in history order
    let mut changed_in: BTreeMap<String, git2::Oid> = BTreeMap::new();
    let mut deleted_in: BTreeMap<String, git2::Oid> = BTreeMap::new();
    if git.is_shallow() {
        out.notes.push(
            "shallow clone: the history of archive/ was not checked; fetch full history (`git fetch --unshallow`, or `fetch-depth: 0` in CI) to check it"
                .to_string(),
        );
        for key in &head_archived {
            let (blob, mode) = head_files[key];
            facts.first.insert(
                key.clone(),
                Seen { commit: head.id(), blob, mode, path: format!("{prefix}/{key}") },
            );
        }
    } else {
        // Children before parents: where the archive was in each commit, following moves.
        let mut walk = git.revwalk().map_err(|e| git_err("walking history", e))?;
        walk.push(head.id()).map_err(|e| git_err("walking history", e))?;
        walk.set_sorting(git2::Sort::TOPOLOGICAL).map_err(|e| git_err("walking history", e))?;
        let order: Vec<git2::Oid> = walk
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| git_err("walking history", e))?;
        let mut location: HashMap<git2::Oid, Option<String>> = HashMap::new();
        location.insert(head.id(), Some(prefix.clone()));
        for oid in &order {
            let commit = git.find_commit(*oid).map_err(|e| git_err("reading a commit", e))?;
            let here = location.get(oid).cloned().flatten();
            let here_versions = match &here {
                Some(p) => match walker.archive_tree(&commit, p)? {
                    Some(t) => walker.versions(t)?,
                    None => BTreeSet::new(),
                },
                None => BTreeSet::new(),
            };
            for parent in commit.parents() {
                if matches!(location.get(&parent.id()), Some(Some(_))) {
                    continue;
                }
                let Some(p) = &here else {
                    location.entry(parent.id()).or_insert(None);
                    continue;
                };
                let found = if walker.archive_tree(&parent, p)?.is_some() {
                    Some(p.clone())
                } else if here_versions.is_empty() {
                    None
                } else {
                    // Moved in this commit: of the parent's archives that are gone from this
                    // commit (another archive, a test fixture, stays where it is), the one that
                    // shares the most version folders with this one.
                    let tree = parent.tree().map_err(|e| git_err("reading a commit", e))?;
                    let mut best: Option<(usize, String)> = None;
                    for (path, t) in walker.archives_in(tree.id())?.iter() {
                        if walker.archive_tree(&commit, path)?.is_some() {
                            continue;
                        }
                        let shared = walker.versions(*t)?.intersection(&here_versions).count();
                        if shared > 0 && best.as_ref().is_none_or(|(n, _)| shared > *n) {
                            best = Some((shared, path.clone()));
                        }
                    }
                    best.map(|(_, p)| p)
                };
                location.insert(parent.id(), found);
            }
        }
        // Parents before children: the first bytes of each archived file, and what changed.
        for oid in order.iter().rev() {
            let Some(Some(here)) = location.get(oid).cloned() else { continue };
            let commit = git.find_commit(*oid).map_err(|e| git_err("reading a commit", e))?;
            let (files, archived) = match walker.archive_tree(&commit, &here)? {
                Some(t) => (walker.files(t)?, walker.archived(t)?),
                None => (Default::default(), Default::default()),
            };
            let mut parents_archived: Vec<(
                std::sync::Arc<ArchiveFiles>,
                std::sync::Arc<BTreeSet<String>>,
            )> = Vec::new();
            for parent in commit.parents() {
                if let Some(Some(p)) = location.get(&parent.id()).cloned()
                    && let Some(t) = walker.archive_tree(&parent, &p)?
                {
                    parents_archived.push((walker.files(t)?, walker.archived(t)?));
                }
            }
            for key in archived.iter() {
                let (blob, mode) = files[key];
                match facts.first.get(key) {
                    None => {
                        facts.first.insert(
                            key.clone(),
                            Seen { commit: *oid, blob, mode, path: format!("{here}/{key}") },
                        );
                    }
                    Some(seen) => {
                        let before =
                            parents_archived.first().and_then(|(f, _)| f.get(key).copied());
                        if before != Some((blob, mode)) && (blob, mode) != (seen.blob, seen.mode) {
                            changed_in.insert(key.clone(), *oid);
                        }
                    }
                }
            }
            for (_, parent_archived) in &parents_archived {
                for key in parent_archived.iter() {
                    if !files.contains_key(key) {
                        deleted_in.insert(key.clone(), *oid);
                    }
                }
            }
        }
    }
    // The working tree against the first bytes.
    let archive_dir = root.join("archive");
    for (key, seen) in &facts.first {
        let rel = format!("archive/{key}");
        let path = archive_dir.join(key);
        let meta = std::fs::symlink_metadata(&path);
        let Ok(meta) = meta else {
            facts.gone.insert(key.clone());
            let message = if head_archived.contains(key) {
                format!("committed in HEAD {} but deleted from the working tree", short(&head.id()))
            } else {
                match deleted_in.get(key) {
                    Some(d) => format!("deleted in commit {}", short(d)),
                    None => format!("added in commit {} but gone now", short(&seen.commit)),
                }
            };
            out.problems.push(IntegrityProblem::new(rel, ProblemKind::Rewritten, message));
            continue;
        };
        if meta.file_type().is_symlink() || !meta.is_file() {
            if meta.file_type().is_symlink() {
                out.problems.push(IntegrityProblem::new(
                    &rel,
                    ProblemKind::SymbolicLink,
                    link_words(
                        &path,
                        "an archived file is a regular file holding the released bytes",
                    ),
                ));
            }
            continue;
        }
        let Ok(bytes) = crate::fsutil::read_regular(&path, &rel) else { continue };
        let now = git2::Oid::hash_object(git2::ObjectType::Blob, &bytes)
            .map_err(|e| git_err("hashing", e))?;
        let head_entry = head_files.get(key).copied();
        if now != seen.blob {
            let released =
                git.find_blob(seen.blob).map(|b| b.content().to_vec()).unwrap_or_default();
            if is_converted(&released, &bytes) {
                out.problems.push(IntegrityProblem::new(
                    rel,
                    ProblemKind::LineEndings,
                    format!(
                        "its line endings were converted to CRLF on checkout (git's core.autocrlf); with LF line endings it is the file commit {} added",
                        short(&seen.commit)
                    ),
                ));
                continue;
            }
            let message = match (head_entry, changed_in.get(key)) {
                (Some((h, _)), _) if h == seen.blob => format!(
                    "differs from the committed file (HEAD {}); a released file is never modified",
                    short(&head.id())
                ),
                (Some((h, _)), Some(c)) if h == now => format!(
                    "changed in commit {} after commit {} added it",
                    short(c),
                    short(&seen.commit)
                ),
                _ => format!(
                    "differs from the bytes commit {} added; a released file is never modified",
                    short(&seen.commit)
                ),
            };
            out.problems.push(IntegrityProblem::new(rel, ProblemKind::Rewritten, message));
            continue;
        }
        match head_entry {
            Some((h, mode)) if h == seen.blob && mode != seen.mode => {
                let what = if mode == 0o120000 { "a symbolic link" } else { "executable" };
                let when = changed_in
                    .get(key)
                    .map(|c| format!(" in commit {}", short(c)))
                    .unwrap_or_default();
                out.problems.push(IntegrityProblem::new(
                    rel,
                    ProblemKind::ModeChanged,
                    format!("committed as {what}{when}; commit {} added it as a plain file", short(&seen.commit)),
                ));
            }
            Some((h, _)) if h != seen.blob => out.notes.push(format!(
                "{rel}: the working file is the released one, but HEAD {} holds other bytes; commit it",
                short(&head.id())
            )),
            _ => {}
        }
    }
    Ok(Some(facts))
}

fn short(oid: &git2::Oid) -> String {
    oid.to_string()[..10].to_string()
}

/// How to recover from `p`: a command run from the policy repository's folder, or what to do.
fn fix(p: &IntegrityProblem, git: Option<&GitFacts>) -> String {
    let path = sh(&p.path);
    let key = p.path.strip_prefix("archive/").unwrap_or(&p.path);
    // Restoring the bytes first committed.
    let restore = || -> String {
        match git.and_then(|g| g.first.get(key)) {
            Some(seen) if git.is_some_and(|g| seen.path == format!("{}/{key}", g.prefix)) => {
                format!(
                    "restore the released bytes: git checkout {} -- {path}",
                    short(&seen.commit)
                )
            }
            Some(seen) => format!(
                "restore the released bytes: git show {}:{} > {path}",
                short(&seen.commit),
                sh(&seen.path)
            ),
            None => format!(
                "restore {path} from a copy of the archive (a clone or a backup); a released file is never modified"
            ),
        }
    };
    match p.kind {
        ProblemKind::StrayFile | ProblemKind::UnlistedFile => {
            let tracked = git.is_some_and(|g| {
                g.tracked.contains(&p.path)
                    || g.tracked
                        .range(format!("{}/", p.path)..)
                        .next()
                        .is_some_and(|t| t.starts_with(&format!("{}/", p.path)))
            });
            if tracked { format!("git rm -r -q -- {path}") } else { format!("rm -r -- {path}") }
        }
        ProblemKind::LineEndings => LINE_ENDINGS_FIX.to_string(),
        ProblemKind::ModeChanged => {
            let committed = git.is_some_and(|g| g.tracked.contains(&p.path));
            if committed {
                format!("chmod a-x {path} && git add {path}, then commit")
            } else {
                format!("chmod a-x {path}")
            }
        }
        ProblemKind::SymbolicLink => {
            let folder = !key.contains('/') || key.matches('/').count() == 1;
            match git {
                Some(_) if folder => format!(
                    "replace the link with the committed folder: rm {path} && git checkout HEAD -- {path} (or restore it from a copy of the archive)"
                ),
                _ => format!("rm {path}, then {}", restore()),
            }
        }
        ProblemKind::BrokenChain => {
            let doc = key.split('/').next().unwrap_or("");
            let missing = git.map(|g| {
                g.gone
                    .iter()
                    .filter(|k| k.starts_with(&format!("{doc}/")) && k.ends_with(RECORD_FILE))
                    .map(|k| {
                        let folder = k.trim_end_matches(&format!("/{RECORD_FILE}")).to_string();
                        (folder, g.first[k].commit)
                    })
                    .collect::<Vec<_>>()
            });
            match missing.as_deref() {
                Some([(folder, commit), ..]) => format!(
                    "restore the deleted version: git checkout {} -- {}",
                    short(commit),
                    sh(&format!("archive/{folder}"))
                ),
                _ => "restore the deleted version folder from git (git log --diff-filter=D --stat -- archive) or a copy of the archive".to_string(),
            }
        }
        ProblemKind::ForgedVerdict => match git.and_then(|g| g.first.get(key)) {
            Some(seen) => format!(
                "git log -p -- {path} shows every committed version of the record: restore the one redline wrote (git checkout <commit> -- {path}); commit {} first added this one, so if it was forged before then, only rewriting history can replace it",
                short(&seen.commit)
            ),
            None => format!(
                "restore the record redline wrote from a copy of the archive; {path} has never been committed, so deleting its version folder and releasing again is also possible"
            ),
        },
        ProblemKind::TamperedSource
        | ProblemKind::MissingSource
        | ProblemKind::EditedRecord
        | ProblemKind::DeletedRecord
        | ProblemKind::UnreadableRecord
        | ProblemKind::Rewritten => restore(),
    }
}

// ---------------------------------------------------------------------------------------------
// judging again

/// Judges again every release whose record names its engine and whose folder (and its
/// predecessor's) has no blocking problem: a verdict that differs under the same engine is a
/// [`ProblemKind::ForgedVerdict`]; under another engine, or when it cannot be judged again, a
/// note.
/// The releases this engine judged again and found as recorded, kept in the git directory
/// (`redline/judged`, never committed), so the commands that read the archive need not judge
/// every release again each time: one line per release, `<engine>\t<sha256 of its record>\t<sha256
/// of the previous record>`. A release's verdict depends only on what those pin (its texts and
/// its predecessor's by sha256, its stored criteria, its triggers and linked texts) and on the
/// engine, and the hashes themselves are checked on every run. Outside git there is no cache.
struct JudgedCache {
    path: Option<std::path::PathBuf>,
    known: BTreeSet<String>,
    added: Vec<String>,
}

impl JudgedCache {
    fn load(archive_dir: &Path) -> JudgedCache {
        let path = archive::git_dir(archive_dir).map(|g| g.join("redline").join("judged"));
        let known = path
            .as_ref()
            .and_then(|p| crate::fsutil::read_regular(p, "judged").ok())
            .map(|b| String::from_utf8_lossy(&b).lines().map(str::to_string).collect())
            .unwrap_or_default();
        JudgedCache { path, known, added: Vec::new() }
    }

    fn key(engine: &str, r: &Release, previous: Option<&Release>) -> String {
        let prev = previous.map(|p| p.record_sha256.as_str()).unwrap_or("");
        format!("{engine}\t{}\t{prev}", r.record_sha256)
    }

    fn save(&self) {
        let Some(path) = &self.path else { return };
        if self.added.is_empty() {
            return;
        }
        let mut lines: BTreeSet<&str> = self.known.iter().map(String::as_str).collect();
        lines.extend(self.added.iter().map(String::as_str));
        let mut text: String = lines.into_iter().map(|l| format!("{l}\n")).collect();
        if text.is_empty() {
            text.push('\n');
        }
        if let Some(dir) = path.parent()
            && std::fs::create_dir_all(dir).is_ok()
        {
            // A cache: failing to write it costs time later, never correctness.
            let _ = crate::fsutil::write_atomically(path, "judged", text.as_bytes());
        }
    }
}

fn rejudge(
    repo: &PolicyRepo,
    docs: &BTreeSet<String>,
    out: &mut Verification,
    cache: &mut JudgedCache,
    trust_cache: bool,
) {
    let engine = crate::engine::engine_id();
    let mut criteria = HashMap::new();
    let damaged: BTreeSet<String> = out
        .problems
        .iter()
        .filter(|p| p.blocks)
        .filter_map(|p| {
            let mut parts = p.path.splitn(4, '/');
            let (_, doc, ver) = (parts.next()?, parts.next()?, parts.next()?);
            Some(format!("{doc}/{ver}"))
        })
        .collect();
    for doc in docs {
        let Ok(releases) = archive::releases(&repo.archive_dir(), doc) else { continue };
        for (i, r) in releases.iter().enumerate() {
            if r.record.engine.is_empty() {
                continue; // an older record: verified as before
            }
            let previous = i.checked_sub(1).map(|j| &releases[j]);
            let folder = |r: &Release| format!("{doc}/{}", r.version);
            if damaged.contains(&folder(r))
                || previous.is_some_and(|p| damaged.contains(&folder(p)))
                || r.record.previous != previous.map(|p| p.version.to_string()).unwrap_or_default()
            {
                continue;
            }
            let rel = format!("archive/{doc}/{}/{RECORD_FILE}", r.version);
            let key = JudgedCache::key(&engine, r, previous);
            if trust_cache && r.record.engine == engine && cache.known.contains(&key) {
                continue;
            }
            let verdict = match crate::release::rejudge(repo, r, previous, &mut criteria) {
                Ok(v) => v,
                Err(e) => {
                    out.notes.push(format!("{rel}: not judged again: {e}"));
                    continue;
                }
            };
            out.rejudged += 1;
            let recorded = crate::release::Verdict::of_record(&r.record);
            let computed = verdict.spelled();
            if recorded == computed {
                if r.record.engine == engine && !cache.known.contains(&key) {
                    cache.added.push(key);
                }
                continue;
            }
            let mut diffs = Vec::new();
            if recorded.0 != computed.0 || recorded.1 != computed.1 {
                diffs.push(format!(
                    "it records level {}, bump {}, but its texts give level {}, bump {}",
                    recorded.0, recorded.1, computed.0, computed.1
                ));
            }
            if recorded.2 != computed.2 {
                diffs.push(format!(
                    "qualifiers [{}] where its texts give [{}]",
                    recorded.2.join(", "),
                    computed.2.join(", ")
                ));
            }
            if recorded.3 != computed.3 {
                diffs.push(format!(
                    "summary {:?} where its texts give {:?}",
                    recorded.3, computed.3
                ));
            }
            if r.record.engine == engine {
                out.problems.push(IntegrityProblem::new(
                    rel,
                    ProblemKind::ForgedVerdict,
                    format!(
                        "{}; judged by the same engine ({engine}) from the archived texts, the stored criteria and the triggers, so the record was edited",
                        diffs.join("; ")
                    ),
                ));
            } else {
                let note = format!(
                    "{rel}: judged {} by {}; this redline ({engine}) judges it {} (information: judgements change between engines)",
                    recorded.0, r.record.engine, computed.0
                );
                out.notes.push(note.clone());
                out.disagreements.push(note);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(sh("archive/privacy/1.0.0/.DS_Store"), "archive/privacy/1.0.0/.DS_Store");
        assert_eq!(sh("archive/a b"), "'archive/a b'");
        assert_eq!(sh("it's"), "'it'\\''s'");
        assert_eq!(sh(""), "''");
    }

    #[test]
    fn a_conversion_is_only_lf_to_crlf() {
        assert!(is_converted(b"a\nb\n", b"a\r\nb\r\n"));
        assert!(!is_converted(b"a\nb\n", b"a\nb\n"));
        assert!(!is_converted(b"a\nb\n", b"a\r\nc\r\n"));
        assert_eq!(crlf_to_lf(b"a\r\nb\rc\r\n"), b"a\nb\rc\n");
    }
}
