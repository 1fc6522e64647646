//! `check [--document ID | --all]`: each document against its base, with the documents it links
//! to, its translations' state, and sections that moved between documents.

use super::{EXIT_OK, Format, Outcome, ReportArgs};
use anyhow::{Result, bail};
use redline::Error;
use redline::archive::releases;
use redline::linked::{LinkedBase, Part, compare_linked, cross_document_moves, linked_parts};
use redline::repo::{DocumentConfig, PolicyRepo};
use redline::report::{Comparison, Input, Side, compare};
use redline::rules::Criteria;
use redline::translation::{compare_ids, history, stale_sections};

/// What `check` was asked.
pub(crate) struct CheckArgs {
    pub(crate) document: Option<String>,
    pub(crate) all: bool,
    pub(crate) lang: Option<String>,
    pub(crate) base: Option<String>,
    pub(crate) report: ReportArgs,
}

fn working(repo: &PolicyRepo, rel: &str) -> Result<Input> {
    let bytes = redline::fsutil::read_regular(&repo.root.join(rel), rel)?;
    Ok(Input {
        side: Side {
            label: "working tree".to_string(),
            version: None,
            rev: None,
            path: rel.to_string(),
        },
        bytes,
    })
}

/// Checks one document in `lang`: its comparison (with its linked documents), plus notices
/// about its translations when `lang` is the source language.
fn check_one(
    repo: &PolicyRepo,
    doc: &DocumentConfig,
    lang: &str,
    rev: Option<&str>,
    criteria: &Criteria,
) -> Result<Comparison> {
    if !doc.languages().contains(&lang) {
        bail!(Error::Refused(format!(
            "document `{}` has no language `{lang}`; policy/policy.toml lists {}",
            doc.id,
            doc.languages().join(", ")
        )));
    }
    let rel = repo.source_rel(doc, lang);
    let head = working(repo, &rel)?;
    let base = super::compare::check_base(repo, &doc.id, &doc.file_name(lang), &rel, rev)?;
    let last_release = releases(&repo.archive_dir(), &doc.id)?.pop().map(|r| r.record);
    let mut comparison = if repo.linked(doc).is_empty() {
        compare(&doc.id, &base, &head, criteria)?
    } else {
        let linked_base = match rev {
            Some(rev) => LinkedBase::Revision(rev),
            None => match &last_release {
                Some(at) => LinkedBase::AsOfRelease(at),
                None => LinkedBase::Head,
            },
        };
        let parts = linked_parts(repo, doc, lang, linked_base)?;
        let main = Part {
            id: doc.id.clone(),
            title: doc.display_title().to_string(),
            base: Some(base),
            head: Some(head),
        };
        compare_linked(&main, &parts, criteria)?
    };
    if lang == doc.source_language {
        check_annotations(repo, doc, &comparison, last_release.as_ref())?;
    }
    if lang == doc.source_language {
        for t in &doc.translations {
            let trel = repo.source_rel(doc, t);
            let tpath = repo.root.join(&trel);
            // Missing is a notice; present but a pipe, a loop or too big is an error naming it.
            if !redline::fsutil::is_present(&tpath) {
                comparison.report.notices.push(format!(
                    "translation {t}: {trel} does not exist (language status `missing`)"
                ));
                continue;
            }
            let bytes = redline::fsutil::read_regular(&tpath, &trel)?;
            let text = redline::text::decode(&trel, &bytes)?;
            let (translation, _) = redline::document::parse_lenient(&trel, &text);
            let ids = compare_ids(&main_sections(&comparison.new), &translation);
            for (id, line) in &ids.missing {
                comparison.report.notices.push(format!(
                    "translation {t}: section `{id}` ({rel}:{line}) has no translation in {trel}"
                ));
            }
            for (id, line) in &ids.extra {
                comparison.report.notices.push(format!(
                    "translation {t}: {trel}:{line}: section `{id}` is not in the source"
                ));
            }
            for s in stale_sections(&history(repo, doc, t)?) {
                comparison.report.notices.push(format!(
                    "translation {t}: {trel}:{}: section `{}` is stale (the source changed in {} after the translation was last updated in {})",
                    s.line, s.id, s.source_changed, s.translation_changed
                ));
            }
        }
    }
    Ok(comparison)
}

/// The draft annotations of `policy/<document>.notes.toml` against the findings of
/// `comparison`: a key that matches no finding is a warning on stderr, saying that `release`
/// will refuse it while the notes' version is still to be released. (`check` is where a
/// publisher reads the findings' keys, so it never stops at a stale key.)
///
/// Errors: a notes file that does not parse.
fn check_annotations(
    repo: &PolicyRepo,
    doc: &DocumentConfig,
    comparison: &Comparison,
    last_release: Option<&redline::archive::ReleaseRecord>,
) -> Result<()> {
    let Some(notes) = redline::notes::load(repo, doc, None)? else { return Ok(()) };
    let released = last_release
        .and_then(|r| redline::archive::Version::parse(&r.version))
        .is_some_and(|last| notes.version <= last);
    for m in notes.unmatched_messages(&comparison.report.findings) {
        let then = if released {
            "its version is released; the record keeps what was annotated"
        } else {
            "`redline release` refuses it"
        };
        super::stderr_line(&format!("warning: {m} ({then})"));
    }
    Ok(())
}

/// The main document's own sections of a compared document (linked parts left out).
fn main_sections(doc: &redline::document::Document) -> redline::document::Document {
    let mut d = doc.clone();
    let end = d
        .sections
        .iter()
        .position(|s| redline::linked::document_of_section(&s.id).is_some())
        .unwrap_or(d.sections.len());
    d.sections.truncate(end);
    d
}

pub(crate) fn check(
    args: CheckArgs,
    repo: &PolicyRepo,
    criteria: &Criteria,
    color: bool,
) -> Result<Outcome> {
    let docs = repo.select(args.document.as_deref(), args.all)?;
    let mut comparisons = Vec::new();
    for d in &docs {
        let lang = args.lang.clone().unwrap_or_else(|| d.source_language.clone());
        if args.all && !d.languages().contains(&lang.as_str()) {
            continue;
        }
        comparisons
            .push((d.id.clone(), check_one(repo, d, &lang, args.base.as_deref(), criteria)?));
    }
    if comparisons.len() > 1 {
        let refs: Vec<(&str, &Comparison)> =
            comparisons.iter().map(|(id, c)| (id.as_str(), c)).collect();
        let moves = cross_document_moves(&refs);
        for m in moves {
            for (id, c) in comparisons.iter_mut() {
                if (*id == m.from_document && !m.via_link) || *id == m.to_document {
                    c.report.notices.push(m.notice());
                }
            }
        }
    }
    if comparisons.len() == 1 && !args.all {
        return Ok(super::compare::render(&comparisons[0].1, &args.report, color));
    }
    let mut code = EXIT_OK;
    let mut parts = Vec::new();
    for (_, c) in &comparisons {
        let out = super::compare::render(c, &args.report, color);
        code = code.max(out.code);
        parts.push(out.stdout);
    }
    let stdout = match args.report.format {
        Format::Json => {
            let reports: Vec<&redline::report::Report> =
                comparisons.iter().map(|(_, c)| &c.report).collect();
            format!("{}\n", serde_json::to_string_pretty(&reports)?)
        }
        _ => parts.join("\n"),
    };
    Ok(Outcome { stdout, code })
}
