//! `build`: render the archive as a static site (README "Publish the site").

use super::{EXIT_OK, Outcome};
use anyhow::Result;
use redline::Error;
use redline::repo::PolicyRepo;
use redline::site::{BuildOptions, build};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Builds with a progress bar on stderr when it is a terminal and there is much to do.
pub(super) fn run_build(
    cwd: &Path,
    out: Option<PathBuf>,
    base_url: Option<String>,
    as_of: Option<String>,
    preview: bool,
    audit: bool,
) -> Result<Outcome> {
    let repo = PolicyRepo::discover(cwd)?.ok_or_else(|| {
        Error::Refused(
            "no policy repository here (policy/policy.toml not found in this folder or above); run `redline build` inside one".to_string(),
        )
    })?;
    if let Some(url) = &base_url
        && !redline::repo::is_web_address(url)
    {
        return Err(Error::Refused(format!(
            "--base-url `{url}` is not an http(s) address; give the site's public address, e.g. https://example.com/policy/"
        ))
        .into());
    }
    // A published site needs its public address: the feed's links and ids, canonical links and
    // consent.json's `href` are absolute. A preview is never published, so it only warns.
    let base_url = base_url.or_else(|| repo.config.base_url.clone());
    let what = "the site's public address is unknown: pass --base-url URL (or set base_url in policy/policy.toml); the feed, canonical links and consent.json's href need it";
    if base_url.is_none() && !preview {
        return Err(Error::Refused(format!("build: {what}")).into());
    }
    // A preview says so once it is built, so a failed build still prints one line.
    let no_base = base_url
        .is_none()
        .then(|| format!("warning: {what}; this preview keeps its links relative"));
    let as_of = as_of.map(|s| redline::time::parse_date("--as-of", &s)).transpose()?;
    super::release::require_intact(&repo)?;
    let as_of = redline::time::today(&repo.timezone()?, as_of);
    let criteria = repo.criteria()?;
    // A relative --out is relative to the current folder (the process runs there).
    let out = out.unwrap_or_else(|| repo.root.join("site"));
    let opts = BuildOptions { out: out.clone(), base_url, as_of, preview, templates: None, audit };
    let bar = std::cell::OnceCell::new();
    let show = std::io::stderr().is_terminal();
    let progress = |done: u64, total: u64| {
        if !show || total < 50 {
            return;
        }
        let bar = bar.get_or_init(|| {
            let b = indicatif::ProgressBar::new(total);
            b.set_style(
                indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} pages")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            b.set_message("building");
            b
        });
        bar.set_position(done);
    };
    let result = build(&repo, &criteria, &opts, &progress);
    if let Some(b) = bar.get() {
        b.finish_and_clear();
    }
    let summary = result?;
    for w in &summary.warnings {
        super::stderr_line(&format!("warning: {w}"));
    }
    if let Some(w) = no_base {
        super::stderr_line(&w);
    }
    let shown = out.strip_prefix(cwd).unwrap_or(&out).display().to_string();
    Ok(Outcome {
        stdout: format!(
            "built {shown}/ as of {as_of}: {} document{}, {} version{}, {} redline page{}, {} pages, {} files, {} bytes\n",
            summary.documents,
            if summary.documents == 1 { "" } else { "s" },
            summary.versions,
            if summary.versions == 1 { "" } else { "s" },
            summary.comparisons,
            if summary.comparisons == 1 { "" } else { "s" },
            summary.pages,
            summary.files,
            summary.bytes
        ),
        code: EXIT_OK,
    })
}
