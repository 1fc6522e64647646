//! `lint`, `map` and `init`: the commands the legal team runs while editing.

use super::{EXIT_FAILED, EXIT_OK, Outcome};
use anyhow::{Context as _, Result, bail};
use clap::ValueEnum;
use redline::Error;
use redline::document::Document;
use redline::lint::{LintReport, fix_ids_with, lint_file, lint_repository};
use redline::repo::{DocumentConfig, LintConfig, PolicyRepo};
use redline::rules::Criteria;
use std::path::Path;

/// `lint --format`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(crate) enum LintFormat {
    /// Each diagnostic with its source line and the span marked.
    Text,
    /// `redline.lint/1` JSON.
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…,col=…::…`).
    Github,
}

/// `map --format`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(crate) enum MapFormat {
    /// One line per section and block with its categories.
    Text,
    /// `redline.map/2` JSON.
    Json,
}

/// Arguments of `lint`.
pub(crate) struct LintArgs {
    pub(crate) file: Option<String>,
    pub(crate) document: Option<String>,
    pub(crate) all: bool,
    pub(crate) format: LintFormat,
    pub(crate) fix: bool,
    pub(crate) criteria: Option<String>,
}

/// Writes `text` to `path` through a temporary file in the same folder, renamed into place. A
/// symbolic link is written through: its target gets the new text and the link stays a link.
fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let target;
    let path = if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        target = path.canonicalize().map_err(|e| Error::io(path, &e))?;
        target.as_path()
    } else {
        path
    };
    Ok(redline::fsutil::write_atomically(path, &path.display().to_string(), text.as_bytes())?)
}

/// `--fix`: adds the missing ids of `files` (repository-relative; the languages of one
/// document, which lend each other their ids) and says so on stderr.
fn fix_files(root: &Path, files: &[String]) -> Result<()> {
    let parsed: Vec<Option<(String, Document)>> = files
        .iter()
        .map(|rel| {
            // Files that do not decode are reported by lint itself; --fix leaves them alone.
            let raw = String::from_utf8(std::fs::read(root.join(rel)).ok()?).ok()?;
            let text =
                redline::text::normalize_line_endings(raw.strip_prefix('\u{feff}').unwrap_or(&raw));
            let doc = redline::document::parse_lenient(rel, &text).0;
            Some((raw, doc))
        })
        .collect();
    for (i, rel) in files.iter().enumerate() {
        let Some((raw, _)) = &parsed[i] else { continue };
        let path = root.join(rel);
        let counterparts: Vec<&Document> = parsed
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .filter_map(|(_, p)| p.as_ref().map(|(_, d)| d))
            .collect();
        if let Some((fixed, added)) = fix_ids_with(rel, raw, &counterparts) {
            write_atomically(&path, &fixed)?;
            for (line, id) in added {
                super::stderr_line(&format!("fixed: {rel}:{line}: added {{#{id}}}"));
            }
        }
    }
    Ok(())
}

pub(crate) fn lint(args: LintArgs, cwd: &Path, color: bool) -> Result<Outcome> {
    let repo = PolicyRepo::discover(cwd)?;
    let criteria = super::compare::load_criteria(args.criteria.as_deref(), repo.as_ref(), cwd)?;
    let report = match (&args.file, &repo) {
        (Some(file), repo) => {
            let full = cwd.join(file);
            if full.is_dir() {
                bail!(Error::Io {
                    path: file.clone(),
                    message: "is a folder, not a policy file; name a Markdown or .txt file"
                        .to_string()
                });
            }
            if !redline::fsutil::is_present(&full) {
                bail!(Error::Io { path: file.clone(), message: "no such file or directory".to_string() });
            }
            let in_repo = repo.as_ref().and_then(|r| {
                let rel = full.canonicalize().ok()?.strip_prefix(r.root.canonicalize().ok()?).ok()?.to_path_buf();
                let name = rel.strip_prefix("policy").ok()?.to_str()?.to_string();
                let (doc, _) = r.document_of_file(&name)?;
                Some((r, doc.id.clone()))
            });
            match in_repo {
                Some((r, id)) => {
                    super::release::require_intact(r)?;
                    lint_documents(r, &[r.document(Some(&id))?], &criteria, args.fix)?
                }
                None => {
                    if args.fix {
                        fix_files(cwd, std::slice::from_ref(file))?;
                    }
                    lint_file(file, cwd, &criteria, &LintConfig::default())?
                }
            }
        }
        (None, Some(repo)) => {
            let docs = repo.select(args.document.as_deref(), args.all)?;
            // lint compares with archived versions (dates, translations): check them first.
            super::release::require_intact(repo)?;
            lint_documents(repo, &docs, &criteria, args.fix)?
        }
        (None, None) => bail!(Error::Refused(
            "no policy repository here (policy/policy.toml not found in this folder or above); run inside one, or lint a file with `redline lint FILE`".to_string()
        )),
    };
    let stdout = match args.format {
        LintFormat::Text => report.to_text(color),
        LintFormat::Json => report.to_json(),
        LintFormat::Github => report.to_github(),
    };
    Ok(Outcome { stdout, code: if report.errors() > 0 { EXIT_FAILED } else { EXIT_OK } })
}

/// Lints `docs` of `repo` (every language of each), after adding missing ids with `fix`;
/// `release` runs it first and refuses on any error.
pub(super) fn lint_documents(
    repo: &PolicyRepo,
    docs: &[&DocumentConfig],
    criteria: &Criteria,
    fix: bool,
) -> Result<LintReport> {
    if fix {
        for d in docs {
            let files: Vec<String> = repo.sources(d).into_iter().map(|(_, rel)| rel).collect();
            fix_files(&repo.root, &files)?;
        }
    }
    let base = |d: &DocumentConfig| -> Option<Document> {
        let file = d.file_name(&d.source_language);
        let rel = repo.source_rel(d, &d.source_language);
        let input = super::compare::check_base(repo, &d.id, &file, &rel, None).ok()?;
        let text = redline::text::decode(&input.side.display(), &input.bytes).ok()?;
        Some(redline::document::parse_lenient(&input.side.display(), &text).0)
    };
    Ok(lint_repository(repo, docs, criteria, &base)?)
}

/// Arguments of `map`.
pub(crate) struct MapArgs {
    pub(crate) file: Option<String>,
    pub(crate) document: Option<String>,
    pub(crate) lang: Option<String>,
    pub(crate) format: MapFormat,
    pub(crate) criteria: Option<String>,
}

pub(crate) fn map(args: MapArgs, cwd: &Path) -> Result<Outcome> {
    let repo = PolicyRepo::discover(cwd)?;
    let criteria = super::compare::load_criteria(args.criteria.as_deref(), repo.as_ref(), cwd)?;
    let doc = document_arg(&args, repo.as_ref(), cwd, "map")?;
    let map = redline::map::map_document(&doc, &criteria);
    let stdout = match args.format {
        MapFormat::Json => map.to_json(),
        MapFormat::Text => map.to_text(60),
    };
    Ok(Outcome { stdout, code: EXIT_OK })
}

/// `redline statements`: every clause of a document with the statement the judgement reads.
pub(crate) fn statements(args: MapArgs, cwd: &Path) -> Result<Outcome> {
    let repo = PolicyRepo::discover(cwd)?;
    let doc = document_arg(&args, repo.as_ref(), cwd, "statements")?;
    let statements = redline::statements::extract(&doc);
    let stdout = match args.format {
        MapFormat::Json => statements.to_json(&doc),
        MapFormat::Text => statements.to_text(&doc),
    };
    Ok(Outcome { stdout, code: EXIT_OK })
}

/// The document a `map` or `statements` command reads: the file given, else the document's
/// source (or `--lang`) in the policy repository.
fn document_arg(
    args: &MapArgs,
    repo: Option<&PolicyRepo>,
    cwd: &Path,
    command: &str,
) -> Result<Document> {
    let (label, bytes) = match (&args.file, repo) {
        (Some(file), _) => {
            let bytes = redline::fsutil::read_named(&cwd.join(file), file)?;
            (file.clone(), bytes)
        }
        (None, Some(repo)) => {
            let doc = repo.document(args.document.as_deref())?;
            let lang = args.lang.clone().unwrap_or_else(|| doc.source_language.clone());
            if !doc.languages().contains(&lang.as_str()) {
                bail!(Error::Refused(format!(
                    "document `{}` has no language `{lang}`; policy/policy.toml lists {}",
                    doc.id,
                    doc.languages().join(", ")
                )));
            }
            let rel = repo.source_rel(doc, &lang);
            let bytes = redline::fsutil::read_regular(&repo.root.join(&rel), &rel)?;
            (rel, bytes)
        }
        (None, None) => bail!(Error::Refused(format!(
            "no policy repository here (policy/policy.toml not found in this folder or above); pass a file: `redline {command} FILE`"
        ))),
    };
    Ok(Document::from_bytes(&label, &bytes)?)
}

pub(crate) fn init(dir: Option<String>, cwd: &Path) -> Result<Outcome> {
    let target = cwd.join(dir.as_deref().unwrap_or("."));
    if target.exists() && !target.is_dir() {
        bail!(Error::Refused(format!(
            "{} is a file, not a folder; give `redline init` a new or empty folder",
            target.display()
        )));
    }
    std::fs::create_dir_all(&target).map_err(|e| Error::io(&target, &e))?;
    let created = redline::init::scaffold(&target)
        .with_context(|| format!("cannot scaffold a policy repository in {}", target.display()))?;
    let mut stdout = String::new();
    for f in &created {
        stdout.push_str(&format!("created {}\n", f));
    }
    if redline::init::git_init_if_needed(&target)? {
        stdout.push_str(
            "initialised a git repository (commit the files, then run `redline check`)\n",
        );
    }
    stdout.push_str(
        "next: edit policy/*.md, then run `redline lint --all` and `redline check --all`\n",
    );
    Ok(Outcome { stdout, code: EXIT_OK })
}
