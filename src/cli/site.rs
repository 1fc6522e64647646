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
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        return Err(Error::Refused(format!(
            "--base-url `{url}` is not an http(s) address; give the site's public address, e.g. https://example.com/policy/"
        ))
        .into());
    }
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
