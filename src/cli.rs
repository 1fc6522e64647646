//! Argument definitions (clap) and the glue from arguments to library calls. The library never
//! sees clap types: they are converted here.

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use redline::repo::PolicyRepo;
use redline::report::{Comparison, Input, Side, compare, document_id_from_path};
use redline::rules::{Criteria, LevelSpec};
use redline::{Error, Level};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit code: it ran, and nothing it checks failed.
const EXIT_OK: u8 = 0;
/// Exit code: it ran, and what it checks failed (`--fail-on`).
const EXIT_FAILED: u8 = 1;
/// Exit code: it could not do what was asked (bad input, unknown revision, I/O, refusal).
const EXIT_ERROR: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "redline",
    version,
    about = "Diff, classify, release and publish a privacy policy kept as Markdown in git",
    after_help = "Exit codes: 0 = ran and nothing it checks failed; 1 = ran and the check failed (--fail-on, lint errors, archive integrity); 2 = bad input, unknown revision, I/O error or refusal.",
    propagate_version = true
)]
struct Cli {
    /// When to colour the output (never when NO_COLOR is set or stdout is not a terminal, in
    /// `auto`).
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, global = true)]
    color: ColorArg,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    /// A readable redline grouped by section, with each finding's level and reason.
    Text,
    /// Markdown for a pull-request comment.
    Markdown,
    /// `redline.report/1` JSON.
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
enum FailOn {
    Never,
    Editorial,
    Minor,
    Major,
    Reconsent,
}

impl FailOn {
    fn level(self) -> Option<Level> {
        match self {
            FailOn::Never => None,
            FailOn::Editorial => Some(Level::Editorial),
            FailOn::Minor => Some(Level::Minor),
            FailOn::Major => Some(Level::Major),
            FailOn::Reconsent => Some(Level::Reconsent),
        }
    }
}

#[derive(Debug, clap::Args)]
struct ReportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Exit with 1 when the level is at or above this.
    #[arg(long, value_enum, default_value_t = FailOn::Never)]
    fail_on: FailOn,
    /// A criteria file, or `builtin`; default: the repository's policy/criteria.toml inside a
    /// policy repository, the built-in profile elsewhere.
    #[arg(long, value_name = "FILE|builtin")]
    criteria: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Compare two versions of a policy: each a file path or REV:PATH (a file at a git revision).
    Diff {
        /// The old version: a file, or REV:PATH.
        old: String,
        /// The new version: a file, or REV:PATH.
        new: String,
        /// The document id to report (default: the file name up to its first dot).
        #[arg(long)]
        document: Option<String>,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Check the working tree's document against the last release (or HEAD, or --base).
    Check {
        /// The document (default: the first in policy/policy.toml).
        #[arg(long)]
        document: Option<String>,
        /// The language (default: the document's source language).
        #[arg(long)]
        lang: Option<String>,
        /// Compare with this git revision instead (e.g. the pull request's target branch).
        #[arg(long, value_name = "REV")]
        base: Option<String>,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// List the rules of the active profile, or explain one.
    Rules {
        /// Print one rule in full.
        #[arg(long, value_name = "ID")]
        explain: Option<String>,
        /// A criteria file, or `builtin`.
        #[arg(long, value_name = "FILE|builtin")]
        criteria: Option<String>,
        /// Output format (text or json).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

/// Runs the command line and returns the process exit code.
pub(crate) fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let color = match cli.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
        }
    };
    match run(cli.command, color) {
        Ok(outcome) => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(outcome.stdout.as_bytes()).and_then(|()| stdout.flush()) {
                Ok(()) => ExitCode::from(outcome.code),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                    ExitCode::from(outcome.code)
                }
                Err(e) => {
                    eprintln!("error: cannot write to stdout: {e}");
                    ExitCode::from(EXIT_ERROR)
                }
            }
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// What a command produced: its whole stdout (printed only on success) and its exit code.
struct Outcome {
    stdout: String,
    code: u8,
}

fn run(command: Command, color: bool) -> Result<Outcome> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    match command {
        Command::Diff { old, new, document, report } => {
            let repo = PolicyRepo::discover(&cwd)?;
            let criteria = load_criteria(report.criteria.as_deref(), repo.as_ref(), &cwd)?;
            let base = read_input(&old, &cwd)?;
            let head = read_input(&new, &cwd)?;
            let id = document.unwrap_or_else(|| document_id_from_path(&head.side.path));
            let comparison = compare(&id, &base, &head, &criteria)?;
            Ok(render(&comparison, &report, color))
        }
        Command::Check { document, lang, base, report } => {
            let repo = PolicyRepo::discover(&cwd)?.ok_or_else(|| {
                Error::Refused(
                    "no policy repository here (policy/policy.toml not found in this folder or above); run inside one, or compare two files with `redline diff OLD NEW`".to_string(),
                )
            })?;
            let criteria = load_criteria(report.criteria.as_deref(), Some(&repo), &cwd)?;
            let doc = repo.document(document.as_deref())?;
            let lang = lang.unwrap_or_else(|| doc.source_language.clone());
            if !doc.languages().contains(&lang.as_str()) {
                bail!(Error::Refused(format!(
                    "document `{}` has no language `{lang}`; policy/policy.toml lists {}",
                    doc.id,
                    doc.languages().join(", ")
                )));
            }
            let rel = repo.source_rel(doc, &lang);
            let head_path = repo.root.join(&rel);
            let head = Input {
                side: Side {
                    label: "working tree".to_string(),
                    version: None,
                    rev: None,
                    path: rel.clone(),
                },
                bytes: std::fs::read(&head_path).map_err(|e| Error::io(&rel, &e))?,
            };
            let base = check_base(&repo, &doc.id, &doc.file_name(&lang), &rel, base.as_deref())?;
            let comparison = compare(&doc.id, &base, &head, &criteria)?;
            Ok(render(&comparison, &report, color))
        }
        Command::Rules { explain, criteria, format } => {
            let repo = PolicyRepo::discover(&cwd)?;
            let criteria = load_criteria(criteria.as_deref(), repo.as_ref(), &cwd)?;
            Ok(Outcome {
                stdout: rules_output(&criteria, explain.as_deref(), format)?,
                code: EXIT_OK,
            })
        }
    }
}

/// The base of `check`: `--base REV`, else the newest release, else `HEAD`.
fn check_base(
    repo: &PolicyRepo,
    id: &str,
    file: &str,
    rel: &str,
    base: Option<&str>,
) -> Result<Input> {
    if let Some(rev) = base {
        let git = redline::git::open(&repo.root)?;
        let bytes = redline::git::read_at(&git, rev, rel)?;
        return Ok(Input {
            side: Side {
                label: rev.to_string(),
                version: None,
                rev: Some(rev.to_string()),
                path: rel.to_string(),
            },
            bytes,
        });
    }
    let releases = redline::archive::releases(&repo.archive_dir(), id)?;
    if let Some(last) = releases.last() {
        let version = last.version.to_string();
        let path = format!("archive/{id}/{version}/{file}");
        let bytes = std::fs::read(repo.root.join(&path)).map_err(|e| Error::io(&path, &e))?;
        return Ok(Input {
            side: Side { label: version.clone(), version: Some(version), rev: None, path },
            bytes,
        });
    }
    let git = redline::git::open(&repo.root).map_err(|_| {
        Error::Refused(format!(
            "nothing to compare with: archive/{id}/ has no release and {} is not a git repository; pass --base REV or release a first version",
            repo.root.display()
        ))
    })?;
    let bytes = redline::git::read_at(&git, "HEAD", rel)?;
    Ok(Input {
        side: Side {
            label: "HEAD".to_string(),
            version: None,
            rev: Some("HEAD".to_string()),
            path: rel.to_string(),
        },
        bytes,
    })
}

fn load_criteria(arg: Option<&str>, repo: Option<&PolicyRepo>, cwd: &Path) -> Result<Criteria> {
    Ok(match (arg, repo) {
        (Some("builtin"), _) => Criteria::builtin(),
        (Some(path), _) => Criteria::load(&cwd.join(path)).map_err(|e| relabel(e, path))?,
        (None, Some(repo)) => repo.criteria()?,
        (None, None) => Criteria::builtin(),
    })
}

/// Keeps the path as the user typed it in messages.
fn relabel(e: Error, typed: &str) -> Error {
    match e {
        Error::Toml { line, column, message, .. } => {
            Error::Toml { path: typed.to_string(), line, column, message }
        }
        Error::Io { message, .. } => Error::Io { path: typed.to_string(), message },
        Error::Config { message, .. } => Error::Config { path: typed.to_string(), message },
        other => other,
    }
}

/// Reads a `diff` argument: an existing file, else `REV:PATH` from git.
fn read_input(arg: &str, cwd: &Path) -> Result<Input> {
    let path = PathBuf::from(arg);
    let full = cwd.join(&path);
    if full.is_file() {
        let bytes = std::fs::read(&full).map_err(|e| Error::io(arg, &e))?;
        return Ok(Input { side: Side::file(arg), bytes });
    }
    if let Some((rev, file)) = arg.split_once(':')
        && !rev.is_empty()
        && !file.is_empty()
    {
        let git = redline::git::open(cwd)?;
        let rel = redline::git::repo_relative(&git, cwd, file).unwrap_or_else(|| file.to_string());
        let bytes = redline::git::read_at(&git, rev, &rel)?;
        return Ok(Input {
            side: Side {
                label: rev.to_string(),
                version: None,
                rev: Some(rev.to_string()),
                path: rel,
            },
            bytes,
        });
    }
    if full.is_dir() {
        bail!(Error::Io {
            path: arg.to_string(),
            message: "is a directory, not a policy file".to_string()
        });
    }
    bail!(Error::Io { path: arg.to_string(), message: "no such file or directory".to_string() })
}

fn render(comparison: &Comparison, args: &ReportArgs, color: bool) -> Outcome {
    let stdout = match args.format {
        Format::Text => comparison.to_text(color),
        Format::Markdown => comparison.to_markdown(),
        Format::Json => comparison.report.to_json(),
    };
    let failed = args.fail_on.level().is_some_and(|l| comparison.report.level >= l);
    Outcome { stdout, code: if failed { EXIT_FAILED } else { EXIT_OK } }
}

fn level_text(rule: &redline::rules::Rule) -> String {
    let mut s = match rule.level {
        LevelSpec::Fixed(l) => l.to_string(),
        LevelSpec::Category => "category".to_string(),
    };
    if !rule.qualifiers.is_empty() {
        s.push_str(&format!(
            " + {}",
            rule.qualifiers.iter().map(|q| q.as_str()).collect::<Vec<_>>().join(" + ")
        ));
    }
    s
}

fn rules_output(criteria: &Criteria, explain: Option<&str>, format: Format) -> Result<String> {
    let rules: Vec<&redline::rules::Rule> = match explain {
        Some(id) => vec![criteria.rule(id).ok_or_else(|| {
            Error::Refused(format!(
                "no rule `{id}` in the {} profile; `redline rules` lists them",
                criteria.name
            ))
        })?],
        None => criteria.rules.iter().collect(),
    };
    if format == Format::Json {
        let list: Vec<serde_json::Value> = rules
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id, "title": r.title, "level": level_text(r).split(' ').next(),
                    "qualifiers": r.qualifiers, "reference": r.reference, "reason": r.reason,
                })
            })
            .collect();
        let value =
            serde_json::json!({"profile": criteria.name, "source": criteria.source, "rules": list});
        return Ok(format!("{}\n", serde_json::to_string_pretty(&value)?));
    }
    let mut out = String::new();
    if explain.is_none() {
        out.push_str(&format!("profile: {} ({})\n\n", criteria.name, criteria.source));
        let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
        for r in &rules {
            out.push_str(&format!("{:width$}  {:<28}  {}\n", r.id, level_text(r), r.title));
        }
        out.push_str(&format!(
            "{:width$}  {:<28}  {}\n",
            redline::rules::OTHER_WORDING,
            "minor",
            "A wording change that no other rule matches (built in)"
        ));
        out.push_str(&format!(
            "{:width$}  {:<28}  {}\n",
            redline::rules::WHOLESALE_REWRITE,
            "major + review",
            "More than the threshold of the old text found no counterpart (built in)"
        ));
        return Ok(out);
    }
    for r in rules {
        out.push_str(&format!("{}: {}\n", r.id, r.title));
        out.push_str(&format!("  level:     {}\n", level_text(r)));
        out.push_str(&format!("  reference: {}\n", r.reference));
        out.push_str(&format!("  reason:    {}\n", r.reason));
        if r.escalate_sensitive {
            out.push_str("  escalates: to reconsent + separate when sensitive data are touched\n");
        }
        if let Some(cap) = r.cap {
            out.push_str(&format!("  caps at:   {cap}\n"));
        }
        let m = &r.when;
        if !m.changes.is_empty() {
            out.push_str(&format!(
                "  changes:   {}\n",
                m.changes.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
            ));
        }
        if !m.categories.is_empty() {
            out.push_str(&format!("  categories: {}\n", m.categories.join(", ")));
        }
        if !m.sections.is_empty() {
            out.push_str(&format!("  sections:  {}\n", m.sections.join(", ")));
        }
        if !m.directions.is_empty() {
            out.push_str(&format!(
                "  directions: {}\n",
                m.directions.iter().map(|d| d.as_str()).collect::<Vec<_>>().join(", ")
            ));
        }
        if !m.evidence.is_empty() {
            out.push_str(&format!("  evidence:  {}\n", m.evidence.join(", ")));
        }
        if r.line > 0 {
            out.push_str(&format!("  defined:   {} line {}\n", criteria.source, r.line));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
