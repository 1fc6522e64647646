//! `diff`, `check` and `rules`: comparing two versions and listing the criteria.

use super::{EXIT_FAILED, EXIT_OK, Format, Outcome, ReportArgs};
use anyhow::{Result, bail};
use redline::Error;
use redline::repo::PolicyRepo;
use redline::report::{Comparison, Input, Side};
use redline::rules::{Criteria, LevelSpec};
use std::path::{Path, PathBuf};

/// The base of `check`: `--base REV`, else the newest release, else `HEAD`. `rel` is the
/// document's path relative to the policy root; at a revision it is read at its path inside the
/// git tree (`legal/policy/…` when the policy repository is the subfolder `legal/`), and the
/// side's `path` is that tree path.
pub(super) fn check_base(
    repo: &PolicyRepo,
    id: &str,
    file: &str,
    rel: &str,
    base: Option<&str>,
) -> Result<Input> {
    if let Some(rev) = base {
        let git = redline::git::open(&repo.root)?;
        return at_revision(&git, repo, rev, rel);
    }
    let releases = redline::archive::releases(&repo.archive_dir(), id)?;
    if let Some(last) = releases.last() {
        let version = last.version.to_string();
        let path = format!("archive/{id}/{version}/{file}");
        let bytes = redline::fsutil::read_regular(&repo.root.join(&path), &path)?;
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
    at_revision(&git, repo, "HEAD", rel)
}

/// The policy file `rel` (relative to the policy root) at `rev`, read at its path inside the git
/// tree.
fn at_revision(git: &git2::Repository, repo: &PolicyRepo, rev: &str, rel: &str) -> Result<Input> {
    let path = redline::git::tree_path(git, &repo.root, rel)?;
    let bytes = redline::git::read_at(git, rev, &path)?;
    Ok(Input {
        side: Side { label: rev.to_string(), version: None, rev: Some(rev.to_string()), path },
        bytes,
    })
}

pub(super) fn load_criteria(
    arg: Option<&str>,
    repo: Option<&PolicyRepo>,
    cwd: &Path,
) -> Result<Criteria> {
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
pub(super) fn read_input(arg: &str, cwd: &Path) -> Result<Input> {
    let path = PathBuf::from(arg);
    let full = cwd.join(&path);
    // Any readable file that is not a folder: a regular file, /dev/null, a pipe (`<(…)`), read
    // up to the size cap; a dangling link or a link loop is named as such.
    if redline::fsutil::is_present(&full) && !full.is_dir() {
        let bytes = redline::fsutil::read_named(&full, arg)?;
        return Ok(Input { side: Side::file(arg), bytes });
    }
    if let Some((rev, file)) = arg.split_once(':')
        && !rev.is_empty()
        && !file.is_empty()
    {
        let git = redline::git::open(cwd)?;
        let rel = redline::git::spec_path(&git, cwd, file).unwrap_or_else(|| file.to_string());
        let bytes = redline::git::read_at(&git, rev, &rel).map_err(|e| match e {
            Error::MissingAtRevision { .. } if !redline::git::is_cwd_relative(file) => {
                match redline::git::repo_relative(&git, cwd, ".") {
                    // Typed in a subfolder: say how git reads the path.
                    Some(prefix) if !prefix.is_empty() => Error::Git(format!(
                        "{e}; the path after `{rev}:` is relative to the top of the git work tree, as in git (write `{rev}:{prefix}/{file}`, or `{rev}:./{file}` for a path relative to the current folder)"
                    )),
                    _ => e,
                }
            }
            e => e,
        })?;
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

pub(super) fn render(comparison: &Comparison, args: &ReportArgs, color: bool) -> Outcome {
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

pub(super) fn rules_output(
    criteria: &Criteria,
    explain: Option<&str>,
    format: Format,
) -> Result<String> {
    if let Some(id) = explain
        && criteria.rule(id).is_none()
        && let Some(text) = built_in_rule_text(id)
    {
        return Ok(match format {
            Format::Json => format!(
                "{}\n",
                serde_json::to_string_pretty(&serde_json::json!({
                    "profile": criteria.name, "source": criteria.source,
                    "rules": [{"id": id, "built_in": true, "explanation": text}],
                }))?
            ),
            _ => format!("{id}: built into redline\n  {}\n", text.replace('\n', "\n  ")),
        });
    }
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
                    "conditions": r.conditions,
                    "line": (r.line > 0).then_some(r.line),
                })
            })
            .collect();
        let value =
            serde_json::json!({"profile": criteria.name, "source": criteria.source, "rules": list});
        return Ok(format!("{}\n", serde_json::to_string_pretty(&value)?));
    }
    if format == Format::Markdown {
        return Ok(rules_markdown(criteria, &rules, explain.is_none()));
    }
    let mut out = String::new();
    if explain.is_none() {
        if criteria.source == "builtin" {
            out.push_str("profile: builtin\n\n");
        } else {
            out.push_str(&format!("profile: {} ({})\n\n", criteria.name, criteria.source));
        }
        let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
        for r in &rules {
            out.push_str(&format!("{:width$}  {:<28}  {}\n", r.id, level_text(r), r.title));
        }
        for b in &BUILT_IN_RULES {
            out.push_str(&format!("{:width$}  {:<28}  {} (built in)\n", b.id, b.level, b.title));
        }
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
        if !r.conditions.is_empty() {
            out.push_str(
                "  when:      every condition holds (a list holds when any of its entries does)\n",
            );
            for c in &r.conditions {
                out.push_str(&format!("    {c}\n"));
            }
        }
        if r.line > 0 {
            out.push_str(&format!("  defined:   {} line {}\n", criteria.source, r.line));
        }
    }
    Ok(out)
}

/// A rule built into the classifier, with no entry in any criteria file.
struct BuiltInRule {
    id: &'static str,
    level: &'static str,
    /// Whether `level` is a floor (the rules of the profile may raise it).
    at_least: bool,
    title: &'static str,
    reason: &'static str,
    when: &'static str,
}

/// The two built-in rules, as `rules` lists them and `rules --explain` explains them.
const BUILT_IN_RULES: [BuiltInRule; 2] = [
    BuiltInRule {
        id: redline::rules::OTHER_WORDING,
        level: "minor",
        at_least: false,
        title: "A wording change that no other rule matches",
        reason: "a wording change that no other rule matches is at least minor: editorial needs positive evidence (criteria.md Decision 6)",
        when: "a change is not editorial and no rule of the profile matched it",
    },
    BuiltInRule {
        id: redline::rules::WHOLESALE_REWRITE,
        level: "major + review",
        at_least: true,
        title: "More than the threshold of the old text found no counterpart",
        reason: "a rewrite cannot be judged clause by clause (criteria.md Decision 8)",
        when: "more than `wholesale_threshold` (default 0.3) of the old text found no counterpart in the new",
    },
];

/// What a built-in rule does, as `rules --explain` prints it, or `None` for another id.
fn built_in_rule_text(id: &str) -> Option<String> {
    let b = BUILT_IN_RULES.iter().find(|b| b.id == id)?;
    let floor = if b.at_least { " (at least)" } else { "" };
    Some(format!("level:     {}{floor}\nreason:    {}\nwhen:      {}", b.level, b.reason, b.when))
}

/// The rules as a Markdown table for a pull-request comment or a handbook page: id, level,
/// title, reference and reason; `|` in policy text is escaped so a cell never splits.
fn rules_markdown(criteria: &Criteria, rules: &[&redline::rules::Rule], built_ins: bool) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = format!(
        "**Profile:** {} (`{}`)\n\n| Rule | Level | Title | Reference | Reason |\n|---|---|---|---|---|\n",
        cell(&criteria.name),
        cell(&criteria.source)
    );
    for r in rules {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            r.id,
            level_text(r),
            cell(&r.title),
            cell(&r.reference),
            cell(&r.reason)
        ));
    }
    if built_ins {
        for b in &BUILT_IN_RULES {
            out.push_str(&format!("| `{}` | {} | {} | built in | |\n", b.id, b.level, b.title));
        }
    }
    out
}
