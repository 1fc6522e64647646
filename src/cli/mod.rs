//! Argument definitions (clap) and the glue from arguments to library calls. The library never
//! sees clap types: they are converted here. One module per group of commands; this one holds
//! the shared arguments, the dispatch and the exit codes.

mod authoring;
mod check;
mod compare;
mod release;
mod site;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use redline::repo::PolicyRepo;
use redline::report::{Prepared, compare_prepared, document_id_from_path};
use redline::{Error, Level};
use std::io::Write;
use std::process::ExitCode;

/// Exit code: it ran, and nothing it checks failed.
pub(crate) const EXIT_OK: u8 = 0;
/// Exit code: it ran, and what it checks failed (`--fail-on`).
pub(crate) const EXIT_FAILED: u8 = 1;
/// Exit code: it could not do what was asked (bad input, unknown revision, I/O, refusal).
pub(crate) const EXIT_ERROR: u8 = 2;

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
pub(crate) enum Format {
    /// A readable redline grouped by section, with each finding's level and reason.
    Text,
    /// Markdown for a pull-request comment.
    Markdown,
    /// `redline.report/1` JSON.
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(crate) enum FailOn {
    Never,
    Editorial,
    Minor,
    Major,
    Reconsent,
}

impl FailOn {
    pub(crate) fn level(self) -> Option<Level> {
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
pub(crate) struct ReportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
    /// Exit with 1 when the level is at or above this.
    #[arg(long, value_enum, default_value_t = FailOn::Never)]
    pub(crate) fail_on: FailOn,
    /// A criteria file, or `builtin`; default: the repository's policy/criteria.toml inside a
    /// policy repository, the built-in profile elsewhere.
    #[arg(long, value_name = "FILE|builtin")]
    pub(crate) criteria: Option<String>,
}

#[derive(Debug, Subcommand)]
enum TemplatesAction {
    /// Write the built-in templates, style.css and strings.toml into DIR (e.g. templates/),
    /// to start overriding them; refuses to overwrite a file.
    Export {
        /// The folder to write into.
        dir: std::path::PathBuf,
    },
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
    /// Check the working tree's document against the last release (or HEAD, or --base), with
    /// the documents it links to and the state of its translations.
    Check {
        /// The document (default: the first in policy/policy.toml).
        #[arg(long, conflicts_with = "all")]
        document: Option<String>,
        /// Check every document of policy/policy.toml (JSON: an array of reports).
        #[arg(long)]
        all: bool,
        /// The language (default: the document's source language).
        #[arg(long)]
        lang: Option<String>,
        /// Compare with this git revision instead (e.g. the pull request's target branch).
        #[arg(long, value_name = "REV")]
        base: Option<String>,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Publish the working document as a new version in archive/ (linted first, classified
    /// against the last release; refuses, writing nothing, when anything is wrong).
    #[command(disable_version_flag = true)]
    Release(release::ReleaseArgs),
    /// List every released version: effective date, in force / upcoming / superseded, level,
    /// bump and summary.
    Log(release::LogArgs),
    /// Print the source of a released version.
    Show(release::ShowArgs),
    /// Check the archive: every source hash, the hash chain, each release judged again, and
    /// (with git history) that each archived file holds the bytes of the commit that added it.
    /// Each problem says how to recover; exit 1 on any but stray files.
    Verify(release::VerifyArgs),
    /// What the app must show a user who accepted a version (none, notice, reconsent).
    Consent(release::ConsentArgs),
    /// The commits that changed the document's source, each classified against its first parent.
    History(release::HistoryArgs),
    /// Backfill an empty archive from a folder of dated versions or from git history.
    Import(release::ImportArgs),
    /// Report every problem in the policy's Markdown: structure (errors) and content gaps
    /// (warnings unless policy.toml requires them). Exit 1 on any error.
    Lint {
        /// Lint this file instead of the repository's documents.
        file: Option<String>,
        /// The document to lint (default: the first in policy/policy.toml), every language of it.
        #[arg(long, conflicts_with = "all")]
        document: Option<String>,
        /// Lint every document of policy/policy.toml.
        #[arg(long)]
        all: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = authoring::LintFormat::Text)]
        format: authoring::LintFormat,
        /// Add the missing section ids (and change nothing else), then lint.
        #[arg(long)]
        fix: bool,
        /// A criteria file, or `builtin` (lexicons for the content checks).
        #[arg(long, value_name = "FILE|builtin")]
        criteria: Option<String>,
    },
    /// Show which data practices each section and block describes.
    Map {
        /// A Markdown or plain-text file (default: the document's source in a policy repository).
        file: Option<String>,
        /// The document (default: the first in policy/policy.toml).
        #[arg(long)]
        document: Option<String>,
        /// The language (default: the document's source language).
        #[arg(long)]
        lang: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = authoring::MapFormat::Text)]
        format: authoring::MapFormat,
        /// A criteria file, or `builtin`.
        #[arg(long, value_name = "FILE|builtin")]
        criteria: Option<String>,
    },
    /// Print every clause's statement: practice, data, recipients, purposes, conditions (what the
    /// judgement reads).
    Statements {
        /// A Markdown or plain-text file (default: the document's source in a policy repository).
        file: Option<String>,
        /// The document (default: the first in policy/policy.toml).
        #[arg(long)]
        document: Option<String>,
        /// The language (default: the document's source language).
        #[arg(long)]
        lang: Option<String>,
        /// Output format: text or json (`redline.statements/1`).
        #[arg(long, value_enum, default_value_t = authoring::MapFormat::Text)]
        format: authoring::MapFormat,
    },
    /// Scaffold a policy repository in DIR (default: here), then `git init` if DIR is not in one.
    Init {
        /// The folder (created if needed).
        dir: Option<String>,
    },
    /// Render the archive as a static site: every version, redlines, history, feed, consent.json.
    Build {
        /// The output folder, replaced as a whole (default: site/ at the repository root).
        #[arg(long, value_name = "DIR")]
        out: Option<std::path::PathBuf>,
        /// The site's public address (default: base_url in policy/policy.toml): absolute links
        /// in the feed, canonical links and consent.json's href. A published build needs it;
        /// --preview only warns.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Build for this date (YYYY-MM-DD, policy time zone) instead of today.
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// Add the working document as a clearly marked, unreleased draft with its redline.
        #[arg(long)]
        preview: bool,
        /// Show what the legal team needs beside each finding (rule ids, review flags): for an
        /// internal copy of the site, never for the public one.
        #[arg(long)]
        audit: bool,
    },
    /// The site's built-in templates.
    Templates {
        #[command(subcommand)]
        action: TemplatesAction,
    },
    /// List the rules of the active profile, explain one, or run their examples.
    Rules {
        /// Print one rule in full.
        #[arg(long, value_name = "ID", conflicts_with = "test")]
        explain: Option<String>,
        /// Run every rule's examples (old text, new text, expected level); exit 1 if one fails.
        #[arg(long)]
        test: bool,
        /// A criteria file, or `builtin`.
        #[arg(long, value_name = "FILE|builtin")]
        criteria: Option<String>,
        /// Output format: text, markdown (a table of the rules) or json.
        #[arg(long, value_enum, default_value_t = Format::Text, hide_possible_values = true)]
        format: Format,
    },
}

/// A clap usage error on one line, like every other error: its message, the arguments it names
/// (a missing required one is listed on the lines after) and its tip, up to the usage block.
fn usage_error_line(rendered: &str) -> String {
    let parts: Vec<&str> = rendered
        .lines()
        .map(str::trim)
        .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
        .filter(|l| !l.is_empty())
        .collect();
    if parts.is_empty() {
        return "error: invalid arguments (see --help)".to_string();
    }
    let mut line = parts[0].trim_end_matches(':').to_string();
    if parts.len() > 1 {
        line.push_str(if parts[0].ends_with(':') { ": " } else { "; " });
        line.push_str(&parts[1..].join(", "));
    }
    format!("{line} (see --help)")
}

/// Runs the command line and returns the process exit code.
pub(crate) fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version: clap's full text on stdout.
            let _ = e.print();
            return ExitCode::from(EXIT_OK);
        }
        Err(e) => {
            if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                // `redline` alone: the command list, on stderr, as a usage error.
                let _ = e.print();
                return ExitCode::from(EXIT_ERROR);
            }
            stderr_line(&usage_error_line(&e.render().to_string()));
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let color = match cli.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
        }
    };
    // `show` prints a released source byte for byte; everything else is made terminal-safe.
    let verbatim = matches!(cli.command, Command::Show(_));
    match run(cli.command, color) {
        Ok(outcome) => {
            let text = if verbatim {
                std::borrow::Cow::Borrowed(outcome.stdout.as_str())
            } else {
                redline::text::terminal_safe_with(&outcome.stdout, color)
            };
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
                Ok(()) => ExitCode::from(outcome.code),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                    ExitCode::from(outcome.code)
                }
                Err(e) => {
                    stderr_line(&format!("error: cannot write to stdout: {e}"));
                    ExitCode::from(EXIT_ERROR)
                }
            }
        }
        Err(e) => {
            stderr_line(&format!("error: {e:#}"));
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Writes one line to stderr. Unlike `eprintln!`, a closed stderr (`2>&1 | head -1`) is not a
/// panic: the message is dropped and the command's exit code stands.
pub(crate) fn stderr_line(line: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{line}");
}

/// What a command produced: its whole stdout (printed only on success) and its exit code.
pub(crate) struct Outcome {
    pub(crate) stdout: String,
    pub(crate) code: u8,
}

fn run(command: Command, color: bool) -> Result<Outcome> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    match command {
        Command::Diff { old, new, document, report } => {
            let repo = PolicyRepo::discover(&cwd)?;
            // The versions are read first (errors are still reported in the order criteria,
            // inputs, parsing). Two versions that differ are judged: the criteria, the automaton
            // over their terms and the statement lexicon are then built on a second thread while
            // the versions are parsed, diffed and their statements read, which needs no criteria.
            let inputs = compare::read_input(&old, &cwd)
                .and_then(|base| Ok((base, compare::read_input(&new, &cwd)?)));
            let judged = inputs.as_ref().is_ok_and(|(base, head)| base.bytes != head.bytes);
            let prepare = || inputs.as_ref().ok().map(|(base, head)| Prepared::new(base, head));
            let (criteria, prepared) = if judged {
                std::thread::scope(|scope| {
                    let loading = scope.spawn(|| {
                        redline::statements::prepare();
                        let criteria = compare::load_criteria(
                            report.criteria.as_deref(),
                            repo.as_ref(),
                            &cwd,
                        )?;
                        criteria.prepare();
                        anyhow::Ok(criteria)
                    });
                    let prepared = prepare();
                    let criteria =
                        loading.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                    (criteria, prepared)
                })
            } else {
                // Equal versions (or unreadable ones): nothing is judged and nothing runs beside
                // the loading, so no second thread is started (with its stack and heap).
                let criteria =
                    compare::load_criteria(report.criteria.as_deref(), repo.as_ref(), &cwd);
                (criteria, prepare())
            };
            let criteria = criteria?;
            let (base, head) = inputs?;
            let prepared = prepared.expect("prepared when the inputs were read")?;
            let named = document.is_some();
            let id = document.unwrap_or_else(|| document_id_from_path(&head.side.path));
            let mut comparison =
                compare_prepared(&id, base.side.clone(), head.side.clone(), prepared, &criteria);
            // Inside a policy repository, without --document, the new text's front-matter `id`
            // names the document (a copy of privacy.zh-CN.md at /tmp/edited.md is still
            // `privacy`); outside one the contract's file stem stands.
            if !named
                && repo.is_some()
                && let Some(fm_id) = comparison
                    .new
                    .front_matter
                    .as_ref()
                    .and_then(|fm| fm.fields.get("id"))
                    .filter(|v| !v.trim().is_empty())
            {
                comparison.report.document = fm_id.clone();
            }
            Ok(compare::render(&comparison, &report, color))
        }
        Command::Check { document, all, lang, base, report } => {
            let repo = PolicyRepo::discover(&cwd)?.ok_or_else(|| {
                Error::Refused(
                    "no policy repository here (policy/policy.toml not found in this folder or above); run inside one, or compare two files with `redline diff OLD NEW`".to_string(),
                )
            })?;
            release::require_intact(&repo)?;
            let criteria = compare::load_criteria(report.criteria.as_deref(), Some(&repo), &cwd)?;
            check::check(
                check::CheckArgs { document, all, lang, base, report },
                &repo,
                &criteria,
                color,
            )
        }
        Command::Release(args) => release::release(args, &cwd),
        Command::Log(args) => release::log(args, &cwd),
        Command::Show(args) => release::show(args, &cwd),
        Command::Verify(args) => release::verify(args, &cwd),
        Command::Consent(args) => release::consent(args, &cwd),
        Command::History(args) => release::history(args, &cwd),
        Command::Import(args) => release::import(args, &cwd),
        Command::Lint { file, document, all, format, fix, criteria } => authoring::lint(
            authoring::LintArgs { file, document, all, format, fix, criteria },
            &cwd,
            color,
        ),
        Command::Map { file, document, lang, format, criteria } => {
            authoring::map(authoring::MapArgs { file, document, lang, format, criteria }, &cwd)
        }
        Command::Statements { file, document, lang, format } => authoring::statements(
            authoring::MapArgs { file, document, lang, format, criteria: None },
            &cwd,
        ),
        Command::Init { dir } => authoring::init(dir, &cwd),
        Command::Build { out, base_url, as_of, preview, audit } => {
            site::run_build(&cwd, out, base_url, as_of, preview, audit)
        }
        Command::Templates { action: TemplatesAction::Export { dir } } => {
            let written = redline::site::export_templates(&cwd.join(&dir))?;
            let mut stdout = String::new();
            for name in written {
                stdout.push_str(&format!("wrote {}\n", dir.join(name).display()));
            }
            stdout.push_str("next: edit what you want to change and delete the rest; a policy repository's templates/ overrides the built-in files by name\n");
            Ok(Outcome { stdout, code: EXIT_OK })
        }
        Command::Rules { explain, test, criteria, format } => {
            let repo = PolicyRepo::discover(&cwd)?;
            let criteria = compare::load_criteria(criteria.as_deref(), repo.as_ref(), &cwd)?;
            if test {
                let (stdout, ok) = compare::rules_test(&criteria, format)?;
                return Ok(Outcome { stdout, code: if ok { EXIT_OK } else { EXIT_FAILED } });
            }
            Ok(Outcome {
                stdout: compare::rules_output(&criteria, explain.as_deref(), format)?,
                code: EXIT_OK,
            })
        }
    }
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
