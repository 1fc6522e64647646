//! `diff`, `check` and `rules`: comparing two versions and listing the criteria.

use super::{EXIT_FAILED, EXIT_OK, Format, Outcome, ReportArgs};
use anyhow::{Result, bail};
use redline::Error;
use redline::repo::PolicyRepo;
use redline::report::{Comparison, Input, Side};
use redline::rules::Criteria;
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
    let mut s = rule.level.to_string();
    if !rule.qualifiers.is_empty() {
        s.push_str(&format!(
            " + {}",
            rule.qualifiers.iter().map(|q| q.as_str()).collect::<Vec<_>>().join(" + ")
        ));
    }
    s
}

/// Where a rule is defined, for `--explain`: `builtin`, or the criteria file and line.
fn defined_at(rule: &redline::rules::Rule) -> String {
    match &rule.defined {
        (path, line) if *line > 0 => format!("{path} line {line}"),
        (path, _) => path.clone(),
    }
}

pub(super) fn rules_output(
    criteria: &Criteria,
    explain: Option<&str>,
    format: Format,
) -> Result<String> {
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
                    "id": r.id, "title": r.title, "level": r.level.to_string(),
                    "qualifiers": r.qualifiers, "reference": r.reference.get("en"),
                    "reason": r.reason.get("en"),
                    "references": r.reference.0, "reasons": r.reason.0,
                    "conditions": r.conditions,
                    "explanation": r.when.iter().map(|c| c.describe()).collect::<Vec<_>>(),
                    "examples": r.examples.len(),
                    "defined": defined_at(r),
                })
            })
            .collect();
        let value =
            serde_json::json!({"profile": criteria.name, "source": criteria.source, "rules": list});
        return Ok(format!("{}\n", serde_json::to_string_pretty(&value)?));
    }
    if format == Format::Markdown {
        return Ok(rules_markdown(criteria, &rules));
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
        return Ok(out);
    }
    for r in rules {
        out.push_str(&format!("{}: {}\n", r.id, r.title));
        out.push_str(&format!("  level:     {}\n", level_text(r)));
        out.push_str(&format!("  reference: {}\n", r.reference.get("en")));
        if r.reference.has("zh-CN") {
            out.push_str(&format!("             {}\n", r.reference.get("zh-CN")));
        }
        out.push_str(&format!("  reason:    {}\n", r.reason.get("en")));
        if r.reason.has("zh-CN") {
            out.push_str(&format!("             {}\n", r.reason.get("zh-CN")));
        }
        if r.escalate_sensitive {
            out.push_str(
                "  escalates: to reconsent + separate when a broadening touches sensitive data\n",
            );
        }
        if let Some(cap) = r.cap {
            out.push_str(&format!("  caps at:   {cap}\n"));
        }
        if r.is_fallback() {
            out.push_str("  fallback:  decides every change that is not editorial and that no other rule matched; its level may change, it cannot be switched off\n");
        }
        if r.is_guard() {
            out.push_str("  guard:     when it matches, its finding is the only one\n");
        }
        if !r.when.is_empty() {
            out.push_str(
                "  when:      every condition holds (a list holds when any of its entries does)\n",
            );
            for c in &r.when {
                out.push_str(&format!("    - {}\n", c.describe()));
            }
            out.push_str("  as written:\n");
            for c in &r.conditions {
                out.push_str(&format!("    {c}\n"));
            }
        }
        if !r.examples.is_empty() {
            out.push_str(&format!(
                "  examples:  {} (`redline rules --test` runs them)\n",
                r.examples.len()
            ));
        }
        out.push_str(&format!("  defined:   {}\n", defined_at(r)));
    }
    Ok(out)
}

/// The rules as a Markdown table for a pull-request comment or a handbook page: id, level,
/// title, reference and reason; `|` in policy text is escaped so a cell never splits.
fn rules_markdown(criteria: &Criteria, rules: &[&redline::rules::Rule]) -> String {
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
            cell(r.reference.get("en")),
            cell(r.reason.get("en"))
        ));
    }
    out
}

/// A rule example's text as a document: as written when it has a heading, else placed in a
/// section (with the example's section id) under a title.
fn example_document(text: &str, section: Option<&str>) -> String {
    if text.lines().any(|l| l.trim_start().starts_with('#')) {
        return format!("{}\n", text.trim_end());
    }
    let id = section.unwrap_or("example");
    let title = id.replace(['-', '_'], " ");
    format!("# Policy\n\n## {title} {{#{id}}}\n\n{}\n", text.trim())
}

/// `redline rules --test`: compares every example of every rule under the profile and checks
/// the level it must give and that the rule makes a finding. Returns the report and whether all
/// passed.
pub(super) fn rules_test(criteria: &Criteria, format: Format) -> Result<(String, bool)> {
    use redline::document::Document;
    use redline::report::compare_documents;
    let mut results = Vec::new();
    for rule in &criteria.rules {
        for (n, example) in rule.examples.iter().enumerate() {
            let old_text = example_document(&example.old, example.section.as_deref());
            let new_text = example_document(&example.new, example.section.as_deref());
            let label = format!("{} example {}", rule.id, n + 1);
            let old = Document::from_bytes(&format!("{label} (old)"), old_text.as_bytes())?;
            let new = Document::from_bytes(&format!("{label} (new)"), new_text.as_bytes())?;
            let c = compare_documents(
                "example",
                Side::file(&format!("{label} (old)")),
                Side::file(&format!("{label} (new)")),
                old,
                new,
                criteria,
            );
            let fired =
                c.report.findings.iter().any(|f| f.rule == rule.id || f.also.contains(&rule.id));
            let ok = c.report.level == example.level && fired;
            results.push((rule.id.clone(), n + 1, example.level, c.report.level, fired, ok));
        }
    }
    let passed = results.iter().filter(|r| r.5).count();
    let all = passed == results.len();
    if format == Format::Json {
        let list: Vec<serde_json::Value> = results
            .iter()
            .map(|(id, n, want, got, fired, ok)| {
                serde_json::json!({"rule": id, "example": n, "expected": want, "level": got, "fired": fired, "passed": ok})
            })
            .collect();
        let value = serde_json::json!({"profile": criteria.name, "source": criteria.source, "examples": list, "passed": passed, "failed": results.len() - passed});
        return Ok((format!("{}\n", serde_json::to_string_pretty(&value)?), all));
    }
    let mut out = String::new();
    for (id, n, want, got, fired, ok) in &results {
        let status = if *ok { "ok  " } else { "FAIL" };
        let why = if *ok {
            String::new()
        } else if want != got {
            format!(" (expected {want}, got {got})")
        } else if !fired {
            " (the rule made no finding)".to_string()
        } else {
            String::new()
        };
        out.push_str(&format!("{status} {id} example {n}: {got}{why}\n"));
    }
    out.push_str(&format!(
        "{} examples: {passed} passed, {} failed\n",
        results.len(),
        results.len() - passed
    ));
    Ok((out, all))
}
