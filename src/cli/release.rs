//! `release`, `log`, `show`, `verify`, `consent`, `history` and `import`: publishing versions
//! into the append-only archive and reading it back.

use super::{EXIT_FAILED, EXIT_OK, Outcome};
use anyhow::Result;
use clap::{Args, ValueEnum};
use redline::archive::{self, Version};
use redline::repo::PolicyRepo;
use redline::{Error, Level};
use std::fmt::Write as _;
use std::path::Path;

/// Output formats of the archive commands.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(crate) enum OutputFormat {
    /// Readable text.
    Text,
    /// JSON.
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct ReleaseArgs {
    /// The document (default: the first in policy/policy.toml).
    #[arg(long, conflicts_with = "all")]
    document: Option<String>,
    /// Release every document of policy/policy.toml that changed.
    #[arg(long, conflicts_with = "version")]
    all: bool,
    /// The effective date, YYYY-MM-DD in the policy's time zone (default: the release date, plus
    /// notice_days for major and reconsent releases).
    #[arg(long, value_name = "YYYY-MM-DD")]
    effective: Option<String>,
    /// The version number; only higher than the proposed one.
    #[arg(long, value_name = "X.Y.Z")]
    version: Option<String>,
    /// The release date (default: today in the policy's time zone).
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// Print what would be written and write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Release even when files under policy/ have uncommitted changes (recorded as dirty).
    #[arg(long)]
    allow_dirty: bool,
    /// Also create the git tag <document>-v<version> at HEAD.
    #[arg(long)]
    tag: bool,
    /// A fact the texts cannot show, recorded with the release: pia-high-risk (an impact
    /// assessment reported a high risk; the release is at least major). Repeatable.
    #[arg(long, value_enum, value_name = "TRIGGER")]
    trigger: Vec<TriggerArg>,
    /// The release note and annotations (default: policy/<document>.notes.toml, when it
    /// exists); required in the source language for major and reconsent releases.
    #[arg(long, value_name = "FILE", conflicts_with = "all")]
    notes: Option<std::path::PathBuf>,
}

/// `release --trigger`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(crate) enum TriggerArg {
    /// A personal-information impact assessment reported a high risk (the policy's 十一 item 6):
    /// at least major.
    PiaHighRisk,
}

impl TriggerArg {
    fn trigger(self) -> redline::archive::Trigger {
        match self {
            TriggerArg::PiaHighRisk => redline::archive::Trigger::PiaHighRisk,
        }
    }
}

#[derive(Debug, Args)]
pub(crate) struct LogArgs {
    /// The document (default: the first in policy/policy.toml).
    #[arg(long, conflicts_with = "all")]
    document: Option<String>,
    /// Every document.
    #[arg(long)]
    all: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
    /// The date that decides in force / upcoming / superseded (default: today in the policy's
    /// time zone).
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct ShowArgs {
    /// The released version (X.Y.Z).
    #[arg(value_name = "VERSION")]
    number: String,
    /// The document (default: the first in policy/policy.toml).
    #[arg(long)]
    document: Option<String>,
    /// The language (default: the document's source language).
    #[arg(long)]
    lang: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
}

#[derive(Debug, Args)]
pub(crate) struct ConsentArgs {
    /// The version the user accepted (X.Y.Z).
    #[arg(long, value_name = "X.Y.Z")]
    accepted: String,
    /// The document (default: the first in policy/policy.toml).
    #[arg(long)]
    document: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
    /// The date for in force / upcoming (default: today in the policy's time zone).
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct HistoryArgs {
    /// The document (default: the first in policy/policy.toml).
    #[arg(long)]
    document: Option<String>,
    /// Only commits not reachable from this revision (e.g. the last release's tag).
    #[arg(long, value_name = "REV")]
    since: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// A folder of NNN_YYYY-MM-DD.{md,mdx,txt} files, or REV_RANGE:PATH (the commits of
    /// REV_RANGE, `A..B` or `REV`, that changed PATH).
    source: String,
    /// The document to import into (default: the first in policy/policy.toml).
    #[arg(long)]
    document: Option<String>,
}

/// The policy repository around `cwd`, or a refusal that says how to get one.
fn require_repo(cwd: &Path) -> Result<PolicyRepo> {
    Ok(PolicyRepo::discover(cwd)?.ok_or_else(|| {
        Error::Refused(
            "no policy repository here (policy/policy.toml not found in this folder or above); run inside one".to_string(),
        )
    })?)
}

/// Refuses an archive with a blocking integrity problem ([`redline::verify::require_intact`])
/// before a command reads it.
pub(super) fn require_intact(repo: &PolicyRepo) -> Result<()> {
    for warning in redline::verify::require_intact(repo)? {
        super::stderr_line(&format!("warning: {warning}"));
    }
    Ok(())
}

/// Says on stderr that `archive/.lock` is there, and what it means.
fn note_lock(repo: &PolicyRepo) {
    if let Some(state) = archive::lock_state(&repo.archive_dir()) {
        super::stderr_line(&format!("note: {}", state.describe()));
    }
}

fn parse_version(what: &str, s: &str) -> Result<Version> {
    Ok(Version::parse(s).ok_or_else(|| {
        Error::Refused(format!(
            "{what}: `{s}` is not a version; write it as MAJOR.MINOR.PATCH (e.g. 2.0.0)"
        ))
    })?)
}

fn parse_as_of(as_of: Option<&str>) -> Result<Option<jiff::civil::Date>> {
    Ok(as_of.map(|s| redline::time::parse_date("--as-of", s)).transpose()?)
}

fn json(value: &impl serde::Serialize) -> Result<String> {
    let mut s = serde_json::to_string_pretty(value)?;
    s.push('\n');
    Ok(s)
}

pub(super) fn release(args: ReleaseArgs, cwd: &Path) -> Result<Outcome> {
    let repo = require_repo(cwd)?;
    let criteria = redline::release::JudgedCriteria::of(&repo)?;
    let mut triggers: Vec<redline::archive::Trigger> =
        args.trigger.iter().map(|t| t.trigger()).collect();
    triggers.sort();
    triggers.dedup();
    let opts = redline::release::ReleaseOptions {
        effective: args
            .effective
            .as_deref()
            .map(|s| redline::time::parse_date("--effective", s))
            .transpose()?,
        version: args.version.as_deref().map(|s| parse_version("--version", s)).transpose()?,
        as_of: parse_as_of(args.as_of.as_deref())?,
        allow_dirty: args.allow_dirty,
        tag: args.tag,
        triggers,
        notes: args.notes.as_ref().map(|p| (cwd.join(p), p.display().to_string())),
    };
    let released_at = redline::time::now_utc();
    let documents: Vec<String> = if args.all {
        repo.config.documents.iter().map(|d| d.id.clone()).collect()
    } else {
        vec![repo.document(args.document.as_deref())?.id.clone()]
    };
    // One release at a time: the plan reads the last version, the write adds the next. A lock
    // left by an interrupted release is replaced, and what it left behind removed.
    let _lock = if args.dry_run {
        note_lock(&repo);
        None
    } else {
        let lock = archive::lock(&repo.archive_dir())?;
        if let Some(note) = &lock.replaced {
            super::stderr_line(&format!("note: {note}"));
        }
        for left in archive::remove_leftovers(&repo.archive_dir()) {
            super::stderr_line(&format!("note: removed {left}, left by an interrupted release"));
        }
        Some(lock)
    };
    require_intact(&repo)?;
    // What lint rejects is never published: the archive cannot change afterwards.
    let docs: Vec<&redline::repo::DocumentConfig> =
        documents.iter().map(|id| repo.document(Some(id))).collect::<redline::Result<_>>()?;
    let mut lint = super::authoring::lint_documents(&repo, &docs, &criteria.criteria, false)?;
    if lint.errors() > 0 {
        // The errors stop it; warnings stay for `redline lint`.
        lint.diagnostics.retain(|d| d.severity == redline::lint::Severity::Error);
        let color =
            anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never;
        let text = lint.to_text(color);
        let mut stderr = std::io::stderr().lock();
        let _ =
            std::io::Write::write_all(&mut stderr, redline::text::terminal_safe(&text).as_bytes());
        drop(stderr);
        return Err(Error::Refused(format!(
            "refusing to release: `redline lint` finds {} error{} (above) in {}; fix {} and release again (a released version can never be corrected)",
            lint.errors(),
            if lint.errors() == 1 { "" } else { "s" },
            documents.join(", "),
            if lint.errors() == 1 { "it" } else { "them" }
        ))
        .into());
    }
    // Plan every document before writing anything: one refusal writes nothing.
    let mut plans = Vec::new();
    let mut unchanged = Vec::new();
    for id in &documents {
        match redline::release::plan(&repo, &criteria, id, &opts, &released_at) {
            Ok(plan) => plans.push(plan),
            Err(Error::Refused(m))
                if args.all && m.starts_with(redline::release::NOTHING_TO_RELEASE) =>
            {
                unchanged.push(id.clone());
            }
            Err(e) => return Err(e.into()),
        }
    }
    if plans.is_empty() {
        return Err(Error::Refused(format!(
            "{}: no document changed since its last release ({})",
            redline::release::NOTHING_TO_RELEASE,
            unchanged.join(", ")
        ))
        .into());
    }
    let aligned = redline::release::align_linked_effective_dates(&repo, &mut plans)?;
    // Every document or none: a failure on one leaves the archive as it was.
    if !args.dry_run {
        redline::release::publish_all(&repo, &plans)?;
    }
    for plan in &plans {
        for t in &plan.stale {
            super::stderr_line(&format!("warning: {}", stale_warning(plan, t)));
        }
    }
    let mut out = String::new();
    for plan in &plans {
        describe_release(&mut out, plan, args.dry_run);
    }
    for note in &aligned {
        writeln!(out, "note: {note}").unwrap();
    }
    for id in &unchanged {
        writeln!(out, "{id}: unchanged since its last release; not released").unwrap();
    }
    if args.dry_run {
        out.push_str("dry run: nothing was written\n");
    } else {
        out.push_str("next: commit archive/ (git add archive && git commit)\n");
    }
    Ok(Outcome { stdout: out, code: EXIT_OK })
}

/// The warning for a stale translation: which sections, where, and since when, e.g.
/// `privacy.en.md is stale: section `device-permissions` (line 270: changed in zh-CN in 1a2b3c4,
/// after the translation's last update in 9f8e7d6); update the translation (the release goes
/// ahead; the source governs)`.
fn stale_warning(
    plan: &redline::release::ReleasePlan,
    t: &redline::release::StaleTranslation,
) -> String {
    let source = plan.languages.first().map(|l| l.lang.as_str()).unwrap_or_default();
    let sections: Vec<String> = t
        .sections
        .iter()
        .map(|s| {
            format!(
                "`{}` (line {}: changed in {source} in {}, after the translation's last update in {})",
                s.id, s.line, s.source_changed, s.translation_changed
            )
        })
        .collect();
    format!(
        "{} is stale: section{} {}; update the translation (the release goes ahead; the source governs)",
        t.file,
        if sections.len() == 1 { "" } else { "s" },
        sections.join(", ")
    )
}

fn describe_release(out: &mut String, plan: &redline::release::ReleasePlan, dry_run: bool) {
    let r = &plan.record;
    let verb = if dry_run { "would release" } else { "released" };
    writeln!(
        out,
        "{verb} {} {} (level {}, bump {}), effective {} (released {})",
        r.document, r.version, r.level, r.bump, r.effective, plan.release_date
    )
    .unwrap();
    if !r.previous.is_empty() {
        // Each language's own level; a translation's above the release's is information only.
        let release = Level::parse(&r.level).unwrap_or(Level::None);
        let langs: Vec<String> = plan
            .languages
            .iter()
            .enumerate()
            .map(|(i, l)| {
                if i > 0 && l.level > release {
                    format!("{} {} (translation; the source governs)", l.lang, l.level)
                } else {
                    format!("{} {}", l.lang, l.level)
                }
            })
            .collect();
        writeln!(out, "  since {}: {}", r.previous, langs.join(" · ")).unwrap();
    }
    if !r.qualifiers.is_empty() {
        writeln!(out, "  qualifiers: {}", r.qualifiers.join(", ")).unwrap();
    }
    for (lang, text) in &r.notes {
        writeln!(out, "  note ({lang}): {}", redline::text::terminal_safe(text)).unwrap();
    }
    if !r.annotations.is_empty() {
        writeln!(out, "  annotations: {}", r.annotations.len()).unwrap();
    }
    for line in &r.summary {
        writeln!(out, "  - {line}").unwrap();
    }
    match Level::parse(&r.level) {
        Some(Level::Reconsent) => writeln!(
            out,
            "  re-consent required: the app must ask users to agree to {} (consent.json)",
            r.version
        )
        .unwrap(),
        Some(Level::Major) => writeln!(
            out,
            "  prominent notice required before {} takes effect on {}",
            r.version, r.effective
        )
        .unwrap(),
        _ => {}
    }
    if r.dirty {
        writeln!(out, "  dirty: released from uncommitted files (HEAD {})", r.commit).unwrap();
    }
    let dir = format!("archive/{}/{}", r.document, r.version);
    for (name, _) in &plan.files {
        writeln!(out, "  {dir}/{name}").unwrap();
    }
    writeln!(out, "  {dir}/{}", archive::CRITERIA_FILE).unwrap();
    writeln!(out, "  {dir}/{}", archive::RECORD_FILE).unwrap();
    if let Some(tag) = &plan.tag {
        writeln!(out, "  tag {tag}").unwrap();
    }
    if dry_run {
        writeln!(out, "--- {dir}/{}", archive::RECORD_FILE).unwrap();
        out.push_str(&plan.record_toml());
        out.push_str("---\n");
    }
}

pub(super) fn log(args: LogArgs, cwd: &Path) -> Result<Outcome> {
    let repo = require_repo(cwd)?;
    let as_of = redline::time::today(&repo.timezone()?, parse_as_of(args.as_of.as_deref())?);
    let documents: Vec<String> = if args.all {
        repo.config.documents.iter().map(|d| d.id.clone()).collect()
    } else {
        vec![repo.document(args.document.as_deref())?.id.clone()]
    };
    note_lock(&repo);
    require_intact(&repo)?;
    let mut text = String::new();
    let mut docs = serde_json::Map::new();
    for id in &documents {
        let releases = archive::releases(&repo.archive_dir(), id)?;
        let statuses = archive::statuses(&releases, as_of)?;
        let mut entries = Vec::new();
        if !text.is_empty() {
            text.push('\n');
        }
        writeln!(text, "{id} (as of {as_of})").unwrap();
        if releases.is_empty() {
            writeln!(text, "  no release yet (redline release publishes the first)").unwrap();
        }
        let doc = repo.document(Some(id))?;
        let file = doc.file_name(&doc.source_language);
        // The earliest earlier release whose source text is the same (a change undone).
        let same_as = |i: usize| {
            let hash = releases[i].record.sources.get(&file)?;
            releases[..i]
                .iter()
                .find(|e| e.record.sources.get(&file) == Some(hash))
                .map(|e| e.version.to_string())
        };
        for (i, (r, s)) in releases.iter().zip(&statuses).enumerate().rev() {
            let rec = &r.record;
            writeln!(
                text,
                "  {:<8} effective {}  {:<10}  level {:<9}  bump {}",
                rec.version,
                rec.effective,
                s.words(),
                rec.level,
                rec.bump
            )
            .unwrap();
            if rec.previous.is_empty() {
                writeln!(text, "      first release").unwrap();
            }
            if let Some(v) = same_as(i) {
                writeln!(text, "      same as {v}: its text is that of an earlier release")
                    .unwrap();
            }
            for line in &rec.summary {
                writeln!(text, "      {line}").unwrap();
            }
        }
        for (i, (r, s)) in releases.iter().zip(&statuses).enumerate() {
            let rec = &r.record;
            entries.push(serde_json::json!({
                "same_as": same_as(i),
                "version": rec.version,
                "effective": rec.effective,
                "status": s,
                "level": rec.level,
                "bump": rec.bump,
                "qualifiers": rec.qualifiers,
                "summary": rec.summary,
                "released_at": rec.released_at,
                "commit": rec.commit,
                "dirty": rec.dirty,
            }));
        }
        docs.insert(id.clone(), serde_json::Value::Array(entries));
    }
    let stdout = match args.format {
        OutputFormat::Text => text,
        OutputFormat::Json => json(&serde_json::json!({
            "as_of": as_of.to_string(),
            "documents": docs,
        }))?,
    };
    Ok(Outcome { stdout, code: EXIT_OK })
}

pub(super) fn show(args: ShowArgs, cwd: &Path) -> Result<Outcome> {
    let repo = require_repo(cwd)?;
    let version = parse_version("VERSION", &args.number)?;
    let doc = repo.document(args.document.as_deref())?;
    let lang = args.lang.unwrap_or_else(|| doc.source_language.clone());
    if !doc.languages().contains(&lang.as_str()) {
        return Err(Error::Refused(format!(
            "document `{}` has no language `{lang}`; policy/policy.toml lists {}",
            doc.id,
            doc.languages().join(", ")
        ))
        .into());
    }
    require_intact(&repo)?;
    let Some(release) = archive::find(&repo.archive_dir(), &doc.id, version)? else {
        return Err(Error::Refused(format!(
            "archive/{}/ has no version {version}; `redline log` lists the released versions",
            doc.id
        ))
        .into());
    };
    let file = doc.file_name(&lang);
    let rel = format!("archive/{}/{version}/{file}", doc.id);
    let Some(expected) = release.record.sources.get(&file) else {
        return Err(Error::Refused(format!(
            "{} {version} was released without `{lang}` ({rel} is not in its release.toml)",
            doc.id
        ))
        .into());
    };
    let bytes = redline::fsutil::read_regular(&release.file(&file), &rel)?;
    if &archive::sha256_hex(&bytes) != expected {
        return Err(Error::Refused(format!(
            "{rel} does not match the sha256 in its release.toml; the archive was altered (run `redline verify`)"
        ))
        .into());
    }
    let stdout = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        Error::Io { path: rel.clone(), message: format!("invalid UTF-8 at byte {valid}") }
    })?;
    Ok(Outcome { stdout, code: EXIT_OK })
}

pub(super) fn verify(args: VerifyArgs, cwd: &Path) -> Result<Outcome> {
    let repo = require_repo(cwd)?;
    let v = redline::verify::verify(&repo)?;
    for note in &v.notes {
        super::stderr_line(&format!("note: {note}"));
    }
    let code = if v.intact() { EXIT_OK } else { EXIT_FAILED };
    let stdout = match args.format {
        OutputFormat::Json => json(&v)?,
        OutputFormat::Text => {
            let mut out = String::new();
            for p in &v.problems {
                writeln!(out, "{p}").unwrap();
                writeln!(out, "  fix: {}", p.fix).unwrap();
            }
            let docs = format!(
                "{} version{} of {} document{} ({})",
                v.versions,
                if v.versions == 1 { "" } else { "s" },
                v.documents.len(),
                if v.documents.len() == 1 { "" } else { "s" },
                v.documents.join(", ")
            );
            let strays = v.problems.iter().filter(|p| !p.blocks).count();
            let strays = match strays {
                0 => String::new(),
                1 => "; 1 stray file to remove (it stops nothing)".to_string(),
                n => format!("; {n} stray files to remove (they stop nothing)"),
            };
            let blocking = v.blocking().count();
            if blocking == 0 {
                let rejudged = match v.rejudged {
                    0 => String::new(),
                    1 => ", 1 release judged again".to_string(),
                    n => format!(", {n} releases judged again"),
                };
                writeln!(
                    out,
                    "archive intact: {docs}; every source hash and the chain verified{rejudged}{strays}"
                )
                .unwrap();
            } else {
                writeln!(
                    out,
                    "{blocking} integrity problem{} in {docs}{strays}",
                    if blocking == 1 { "" } else { "s" }
                )
                .unwrap();
            }
            out
        }
    };
    Ok(Outcome { stdout, code })
}

pub(super) fn consent(args: ConsentArgs, cwd: &Path) -> Result<Outcome> {
    let repo = require_repo(cwd)?;
    let criteria = repo.criteria()?;
    let doc = repo.document(args.document.as_deref())?.id.clone();
    let as_of = redline::time::today(&repo.timezone()?, parse_as_of(args.as_of.as_deref())?);
    require_intact(&repo)?;
    let answer = redline::consent::decide(&repo, &criteria, &doc, &args.accepted, as_of)?;
    let stdout = match args.format {
        OutputFormat::Json => json(&answer)?,
        OutputFormat::Text => {
            let mut out = String::new();
            let when = if answer.upcoming {
                format!("upcoming, effective {}", answer.effective)
            } else {
                format!("in force since {}", answer.effective)
            };
            let what = match answer.decision {
                redline::Decision::Reconsent => {
                    format!("ask the user to agree to {} ({when})", answer.latest)
                }
                redline::Decision::Notice => {
                    format!("show a prominent notice of {} ({when})", answer.latest)
                }
                redline::Decision::None => {
                    format!("nothing to show (latest {}, {when})", answer.latest)
                }
            };
            writeln!(out, "{}: {what}", answer.decision.as_str()).unwrap();
            if !answer.known {
                writeln!(
                    out,
                    "  {} was never released; a user of an unknown version must agree again",
                    answer.accepted
                )
                .unwrap();
            } else if !answer.changes.is_empty() {
                writeln!(
                    out,
                    "  accepted {}; the text now differs from it at level {} (the releases since reached {}):",
                    answer.accepted, answer.level, answer.chain_level
                )
                .unwrap();
            }
            for c in &answer.changes {
                let same =
                    c.same_as.as_ref().map(|v| format!("  (same as {v})")).unwrap_or_default();
                writeln!(out, "  {}  effective {}  {}{same}", c.version, c.effective, c.level)
                    .unwrap();
                for line in &c.summary {
                    writeln!(out, "      {line}").unwrap();
                }
            }
            out
        }
    };
    Ok(Outcome { stdout, code: EXIT_OK })
}

pub(super) fn history(args: HistoryArgs, cwd: &Path) -> Result<Outcome> {
    let repo = require_repo(cwd)?;
    let criteria = repo.criteria()?;
    let doc = repo.document(args.document.as_deref())?;
    let git = redline::git::open(&repo.root)?;
    let abs = repo.root.join(repo.source_rel(doc, &doc.source_language));
    let path = redline::git::repo_relative(&git, cwd, &abs.display().to_string())
        .unwrap_or_else(|| repo.source_rel(doc, &doc.source_language));
    let entries = redline::history::history(
        &git,
        &path,
        &doc.id,
        &criteria,
        args.since.as_deref(),
        &repo.timezone()?,
    )?;
    let stdout = match args.format {
        OutputFormat::Json => json(&serde_json::json!({"path": path, "commits": entries}))?,
        OutputFormat::Text => {
            let mut out = String::new();
            writeln!(
                out,
                "{path}: {} commit{} changed it{} (newest first)",
                entries.len(),
                if entries.len() == 1 { "" } else { "s" },
                args.since.as_deref().map(|s| format!(" since {s}")).unwrap_or_default()
            )
            .unwrap();
            for e in &entries {
                let merge = if e.parents.len() > 1 { " (merge)" } else { "" };
                writeln!(
                    out,
                    "\n{} {} {}{merge}: {}",
                    &e.commit[..10],
                    e.date,
                    e.author,
                    e.subject
                )
                .unwrap();
                match e.kind {
                    redline::history::HistoryKind::Added => {
                        writeln!(out, "  added the file").unwrap()
                    }
                    redline::history::HistoryKind::Removed => {
                        writeln!(out, "  removed the file").unwrap()
                    }
                    redline::history::HistoryKind::Modified => {
                        if let Some(err) = &e.error {
                            writeln!(out, "  cannot classify: {err}").unwrap();
                            continue;
                        }
                        let q = if e.qualifiers.is_empty() {
                            String::new()
                        } else {
                            format!(
                                " ({})",
                                e.qualifiers
                                    .iter()
                                    .map(|q| q.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )
                        };
                        writeln!(out, "  level {}{q} · bump {}", e.level, e.bump).unwrap();
                        for line in &e.summary {
                            writeln!(out, "    {line}").unwrap();
                        }
                    }
                }
            }
            out
        }
    };
    Ok(Outcome { stdout, code: EXIT_OK })
}

pub(super) fn import(args: ImportArgs, cwd: &Path) -> Result<Outcome> {
    let repo = require_repo(cwd)?;
    let criteria = redline::release::JudgedCriteria::of(&repo)?;
    let doc = repo.document(args.document.as_deref())?.clone();
    let lock = archive::lock(&repo.archive_dir())?;
    if let Some(note) = &lock.replaced {
        super::stderr_line(&format!("note: {note}"));
    }
    for left in archive::remove_leftovers(&repo.archive_dir()) {
        super::stderr_line(&format!("note: removed {left}, left by an interrupted release"));
    }
    redline::import::refuse_nonempty(&repo, &doc)?;
    let source = cwd.join(&args.source);
    let candidates = if source.is_dir() {
        let (found, ignored) = redline::import::from_dir(&source, &args.source)?;
        if !ignored.is_empty() {
            super::stderr_line(&format!(
                "note: ignored (not NNN_YYYY-MM-DD.md|mdx|txt): {}",
                ignored.join(", ")
            ));
        }
        found
    } else if let Some((range, path)) = args.source.split_once(':')
        && !range.is_empty()
        && !path.is_empty()
    {
        let git = redline::git::open(cwd)?;
        let rel = redline::git::spec_path(&git, cwd, path).unwrap_or_else(|| path.to_string());
        redline::import::from_git(&git, range, &rel, &repo.timezone()?)?
    } else {
        return Err(Error::Io {
            path: args.source.clone(),
            message:
                "no such directory (give a folder of NNN_YYYY-MM-DD.md files, or REV_RANGE:PATH)"
                    .to_string(),
        }
        .into());
    };
    let head = redline::release::head_commit(&repo);
    let plan = redline::import::plan(
        &repo,
        &criteria,
        &doc.id,
        candidates,
        &head,
        &redline::time::now_utc(),
    )?;
    for w in &plan.warnings {
        super::stderr_line(&format!("warning: {w}"));
    }
    redline::import::write(&repo, &plan)?;
    let mut out = String::new();
    for r in &plan.releases {
        let rec = &r.record;
        writeln!(
            out,
            "{:<8} effective {}  level {:<9}  bump {:<5}  {}",
            rec.version, rec.effective, rec.level, rec.bump, r.label
        )
        .unwrap();
    }
    writeln!(
        out,
        "imported {} version{} into archive/{}/; commit archive/ to keep them",
        plan.releases.len(),
        if plan.releases.len() == 1 { "" } else { "s" },
        doc.id
    )
    .unwrap();
    Ok(Outcome { stdout: out, code: EXIT_OK })
}
