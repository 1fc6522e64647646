//! `redline init`: scaffolds a policy repository that passes `lint` and `check` as generated.
//!
//! Files (the texts are compiled in from `src/init/`):
//!
//! | path | what |
//! | --- | --- |
//! | `policy/policy.toml` | the configuration, every key commented |
//! | `policy/criteria.toml` | the rules: extends the built-in profile, every kind of override shown |
//! | `policy/privacy.zh-CN.md` | an example policy with explicit ids, a permissions table and an SDK table |
//! | `templates/README.md` | how to override the site's templates |
//! | `.github/workflows/policy.yml` | a CI example: lint with annotations, check against the base branch |
//! | `.gitignore` | the built site, the archive lock |
//! | `.gitattributes` | `/archive/** -text`: git never converts the line endings of released files |

use crate::error::{Error, Result};
use std::path::Path;

/// The scaffold: repository-relative path and content.
pub const FILES: [(&str, &str); 7] = [
    ("policy/policy.toml", include_str!("init/policy.toml")),
    ("policy/criteria.toml", include_str!("init/criteria.toml")),
    ("policy/privacy.zh-CN.md", include_str!("init/privacy.zh-CN.md")),
    ("templates/README.md", include_str!("init/templates.md")),
    (".github/workflows/policy.yml", include_str!("init/ci.yml")),
    (".gitignore", include_str!("init/gitignore")),
    (".gitattributes", include_str!("init/gitattributes")),
];

/// The `.gitattributes` line that keeps released files byte-exact.
pub const ARCHIVE_ATTRIBUTES: &str = "/archive/** -text";

/// Files the scaffold may find already there (kept; `.gitattributes` gains
/// [`ARCHIVE_ATTRIBUTES`] when it lacks it).
const SHARED: [&str; 2] = [".gitignore", ".gitattributes"];

/// Writes the scaffold into `dir` (which must exist) and returns the paths written. Each file is
/// written to a temporary file and renamed into place; an existing file is never overwritten
/// (a `.gitignore` already there is kept as it is; a `.gitattributes` already there is kept and
/// gains the line [`ARCHIVE_ATTRIBUTES`] at its end when it lacks it, listed as `.gitattributes
/// (updated)`).
///
/// Errors: [`Error::Refused`] when `dir/policy/policy.toml` exists (already a policy repository)
/// or another scaffold file exists; an I/O error naming the file.
pub fn scaffold(dir: &Path) -> Result<Vec<String>> {
    if dir.join("policy/policy.toml").exists() {
        return Err(Error::Refused(format!(
            "{} is already a policy repository (policy/policy.toml exists); nothing was written",
            dir.display()
        )));
    }
    for (rel, _) in FILES.iter().filter(|(rel, _)| !SHARED.contains(rel)) {
        if dir.join(rel).exists() {
            return Err(Error::Refused(format!(
                "{rel} already exists in {}; move it away first (nothing was written)",
                dir.display()
            )));
        }
    }
    let mut written = Vec::new();
    for (rel, content) in FILES {
        let path = dir.join(rel);
        if path.exists() {
            if rel == ".gitattributes" {
                let bytes = crate::fsutil::read_regular(&path, rel)?;
                let text = String::from_utf8_lossy(&bytes);
                if !text.lines().any(|l| l.trim() == ARCHIVE_ATTRIBUTES) {
                    let sep = if text.is_empty() || text.ends_with('\n') { "" } else { "\n" };
                    let updated = format!("{text}{sep}{content}");
                    crate::fsutil::write_atomically(&path, rel, updated.as_bytes())?;
                    written.push(format!("{rel} (updated)"));
                }
            }
            continue;
        }
        let parent = path.parent().unwrap_or(dir);
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, &e))?;
        crate::fsutil::write_atomically(&path, &path.display().to_string(), content.as_bytes())?;
        written.push(rel.to_string());
    }
    Ok(written)
}

/// Runs `git init` in `dir` when it is not inside a git repository; returns whether it did.
///
/// Errors: git cannot create the repository.
pub fn git_init_if_needed(dir: &Path) -> Result<bool> {
    if git2::Repository::discover(dir).is_ok() {
        return Ok(false);
    }
    git2::Repository::init(dir).map_err(|e| {
        Error::Git(format!("cannot create a git repository in {}: {}", dir.display(), e.message()))
    })?;
    Ok(true)
}
