//! Reading files at git revisions (git2). Unknown revisions and paths missing at a revision are
//! told apart, so the message can say which.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Opens the git repository containing `dir`.
///
/// Errors: `dir` is not inside a git repository.
pub fn open(dir: &Path) -> Result<git2::Repository> {
    git2::Repository::discover(dir)
        .map_err(|_| Error::Git(format!("{} is not inside a git repository", dir.display())))
}

/// The bytes of repository-relative `path` at revision `rev` (a branch, tag, sha, `HEAD~3`).
///
/// Errors: [`Error::UnknownRevision`], [`Error::MissingAtRevision`], or a git failure.
pub fn read_at(repo: &git2::Repository, rev: &str, path: &str) -> Result<Vec<u8>> {
    let object = repo.revparse_single(rev).map_err(|_| unknown_revision(repo, rev))?;
    let tree = object.peel_to_tree().map_err(|_| unknown_revision(repo, rev))?;
    let entry = tree
        .get_path(Path::new(path))
        .map_err(|_| Error::MissingAtRevision { rev: rev.to_string(), path: path.to_string() })?;
    if entry.kind() == Some(git2::ObjectType::Tree) {
        return Err(Error::Refused(format!(
            "`{path}` is a folder at revision `{rev}`, not a file; name a file in it (`{rev}:{path}/FILE`)"
        )));
    }
    let blob = entry
        .to_object(repo)
        .and_then(|o| o.peel_to_blob())
        .map_err(|_| Error::MissingAtRevision { rev: rev.to_string(), path: path.to_string() })?;
    Ok(blob.content().to_vec())
}

/// The error for a revision `rev` that does not resolve in `repo`, with the likely reason: a
/// repository without any commit yet, or a shallow clone missing older commits; else
/// [`Error::UnknownRevision`].
pub fn unknown_revision(repo: &git2::Repository, rev: &str) -> Error {
    if repo.head().is_err_and(|e| e.code() == git2::ErrorCode::UnbornBranch) {
        Error::Git(format!(
            "unknown git revision `{rev}`: the git repository has no commit yet; commit the policy first (git add -A && git commit)"
        ))
    } else if repo.is_shallow() {
        Error::Git(format!(
            "unknown git revision `{rev}`: this is a shallow clone, so older commits are missing; fetch them with `git fetch --unshallow`"
        ))
    } else {
        Error::UnknownRevision { rev: rev.to_string() }
    }
}

/// Converts `path` (relative to `cwd`, or absolute) to a path relative to the repository's
/// working directory, `/`-separated, as git trees name files. `None` for a bare repository or a
/// path outside the work tree.
pub fn repo_relative(repo: &git2::Repository, cwd: &Path, path: &str) -> Option<String> {
    let workdir = repo.workdir()?.canonicalize().ok()?;
    let p = Path::new(path);
    let absolute: PathBuf = if p.is_absolute() { p.to_path_buf() } else { cwd.join(p) };
    // Normalise `.` and `..` without touching the file system (the file may not exist here).
    let mut parts: Vec<std::ffi::OsString> = Vec::new();
    for c in absolute.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::CurDir => {}
            other => parts.push(other.as_os_str().to_os_string()),
        }
    }
    let normal: PathBuf = parts.iter().collect();
    let cwd_canonical = cwd.canonicalize().ok()?;
    let normal = if normal.starts_with(&workdir) {
        normal
    } else {
        // `cwd` may be a symlinked path; retry from its canonical form.
        let rel = normal.strip_prefix(cwd).ok()?;
        cwd_canonical.join(rel)
    };
    let rel = normal.strip_prefix(&workdir).ok()?;
    Some(
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// The path inside git trees of `rel`, a `/`-separated path relative to the folder `dir` (a
/// policy repository's root, which may be a subfolder of the git work tree or a policy
/// repository nested in another): `legal/policy/privacy.zh-CN.md` for `policy/privacy.zh-CN.md`
/// under `legal/`.
///
/// Errors: [`Error::Git`] when `dir` is not inside the work tree of `repo` (or `repo` is bare).
pub fn tree_path(repo: &git2::Repository, dir: &Path, rel: &str) -> Result<String> {
    repo_relative(repo, dir, rel).ok_or_else(|| {
        Error::Git(format!(
            "{} is not inside the work tree of the git repository at {}",
            dir.display(),
            repo.path().display()
        ))
    })
}

/// The path inside git trees named by the `PATH` of a `REV:PATH` argument typed in `cwd`, as
/// git reads it: relative to the top level of the work tree, unless it starts with `./` or
/// `../` (relative to `cwd`, git's `REV:./PATH`) or is absolute. `None` as for
/// [`repo_relative`].
pub fn spec_path(repo: &git2::Repository, cwd: &Path, path: &str) -> Option<String> {
    if is_cwd_relative(path) || Path::new(path).is_absolute() {
        repo_relative(repo, cwd, path)
    } else {
        repo_relative(repo, repo.workdir()?, path)
    }
}

/// Whether the `PATH` of `REV:PATH` is relative to the current folder (`.`, `..`, `./…`, `../…`).
pub fn is_cwd_relative(path: &str) -> bool {
    path == "." || path == ".." || path.starts_with("./") || path.starts_with("../")
}
