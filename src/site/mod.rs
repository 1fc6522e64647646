//! The published site (`redline build`): every released version of every document at a stable
//! URL, the version in force, redlines between versions, a history, an "as of" table, an Atom
//! feed and `consent.json`, at the URLs the README lists ("Publish the site").
//!
//! What goes in: the archive (`archive/<doc>/<version>/`: source bytes of every language and
//! `release.toml`), the criteria (to classify each comparison), the date the site is built for
//! (`as_of`, a calendar date in the policy's time zone) and, with `preview`, the working sources.
//! What comes out: a folder of static files that need no JavaScript.
//!
//! Properties:
//! * **Deterministic**: the same archive, criteria, templates and `as_of` give byte-identical
//!   files (no timestamps, sorted maps, no wall clock in any diff).
//! * **All or nothing**: pages are written into a temporary folder beside `out`, which replaces
//!   `out` only when every page rendered; a failed build leaves the previous site as it was.
//! * **Each version parsed once**, each distinct pair of texts compared once (histories that flip
//!   back and forth between two texts reuse the comparison); versions in different languages are
//!   not redlined (the page says so).

mod html;
mod lang;
pub mod meta;
mod redline;
mod templates;

pub use html::{SECTION_ID_PREFIX, render as render_markdown, sanitize};
pub use lang::detect as detect_language;
pub use redline::{RedlineView, view as redline_view};
pub use templates::{Templates, export as export_templates};

use crate::archive::{ReleaseRecord, Version, releases};
use crate::document::Document;
use crate::error::{Error, Result};
use crate::repo::{DocumentConfig, PolicyRepo};
use crate::report::{Side, compare_documents};
use crate::rules::Criteria;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The file at the root of every built site; `build` only replaces a folder that has it.
pub const MARKER: &str = ".redline-site";

/// The label and folder name of the working draft shown with `--preview`.
pub const DRAFT: &str = "draft";

/// What to build, and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The output folder (replaced as a whole).
    pub out: PathBuf,
    /// The site's public address (`https://example.com/policy/`): absolute links in the feed,
    /// tag URIs for its ids, canonical links and consent.json's `href`.
    pub base_url: Option<String>,
    /// The date the site is built for, in the policy's time zone: it decides which version is in
    /// force and which are upcoming.
    pub as_of: Date,
    /// Add the working sources as an unreleased draft with its redline.
    pub preview: bool,
    /// Templates overriding the built-in ones by name (default: the repository's `templates/`).
    pub templates: Option<PathBuf>,
}

/// What a build wrote.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BuildSummary {
    /// Documents rendered.
    pub documents: usize,
    /// Versions rendered (released, plus the draft with `--preview`).
    pub versions: usize,
    /// Redline pages written.
    pub comparisons: usize,
    /// Distinct pairs of texts actually compared (the rest were reused or language switches).
    pub diffs_computed: usize,
    /// HTML pages written.
    pub pages: usize,
    /// Files written, pages included.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
    /// What the build noticed and went ahead with (printed on stderr): a draft annotation of a
    /// version already released that matches no finding of the draft.
    pub warnings: Vec<String>,
}

/// The `redline.consent/2` manifest published as `consent.json` (pretty JSON, trailing newline):
/// [`crate::consent::manifest`] for `as_of`, so the site and `redline consent` always agree;
/// with `base_url` (the site's public address) every `href` beside a relative `url` is filled.
///
/// Errors: those of [`crate::consent::manifest`] (an unreadable or malformed archive).
pub fn consent_manifest(
    repo: &PolicyRepo,
    criteria: &Criteria,
    as_of: Date,
    base_url: Option<&str>,
) -> Result<String> {
    let mut manifest = crate::consent::manifest(repo, criteria, as_of)?;
    if let Some(base) = base_url {
        manifest.set_base_url(base);
    }
    let mut json = serde_json::to_string_pretty(&manifest)
        .map_err(|e| Error::Refused(format!("consent.json: {e}")))?;
    json.push('\n');
    Ok(json)
}

/// One language file of a version.
struct LangFile {
    lang: String,
    file: String,
    bytes: Vec<u8>,
    doc: Document,
}

/// A released version, or the draft.
struct Edition {
    label: String,
    version: Option<Version>,
    record: Option<ReleaseRecord>,
    effective: Option<Date>,
    /// Source language first.
    files: Vec<LangFile>,
    /// The detected language of the source text.
    detected: Option<&'static str>,
    /// The index of the first edition with byte-identical source text.
    canon: usize,
    /// Where the sources live, relative to the repository (for messages and report sides).
    dir_label: String,
    /// The people's note (language → text) and annotations: the record's, or the notes file's
    /// for the draft.
    notes: BTreeMap<String, String>,
    annotations: Vec<crate::notes::Annotation>,
    /// Entered the archive through `redline import`, which takes no note.
    imported: bool,
    /// The draft's notes file, to check its annotations against the draft's findings.
    notes_file: Option<crate::notes::Notes>,
}

impl Edition {
    fn source(&self) -> &LangFile {
        &self.files[0]
    }

    fn is_draft(&self) -> bool {
        self.version.is_none()
    }
}

/// A document with its editions (released oldest first, then the draft).
struct DocSite<'a> {
    config: &'a DocumentConfig,
    editions: Vec<Edition>,
    /// Index of the version in force at `as_of`.
    current: Option<usize>,
}

impl DocSite<'_> {
    fn released(&self) -> impl Iterator<Item = (usize, &Edition)> {
        self.editions.iter().enumerate().filter(|(_, e)| !e.is_draft())
    }

    fn latest(&self) -> Option<usize> {
        self.released().last().map(|(i, _)| i)
    }

    fn title(&self, file: &LangFile) -> String {
        file.doc
            .field("title")
            .map(str::to_string)
            .or_else(|| self.config.title.clone())
            .unwrap_or_else(|| self.config.id.clone())
    }

    /// The document's title for navigation and list pages: the front-matter title of the version
    /// in force (else the latest), else `title` in policy.toml, else the id.
    fn display_title(&self) -> String {
        self.current
            .or(self.latest())
            .map(|i| self.title(self.editions[i].source()))
            .or_else(|| self.config.title.clone())
            .unwrap_or_else(|| self.config.id.clone())
    }

    /// Upcoming released versions (effective after `as_of`), earliest first.
    fn upcoming(&self, as_of: Date) -> Vec<usize> {
        let mut out: Vec<usize> =
            self.released().filter(|(_, e)| e.effective > Some(as_of)).map(|(i, _)| i).collect();
        out.sort_by_key(|&i| (self.editions[i].effective, self.editions[i].version));
        out
    }

    /// The pairs that get a redline page: consecutive versions, every version to the latest,
    /// the version in force to each upcoming one, and the latest to the draft.
    fn pairs(&self, as_of: Date) -> Vec<(usize, usize)> {
        let released: Vec<usize> = self.released().map(|(i, _)| i).collect();
        let mut pairs = std::collections::BTreeSet::new();
        for w in released.windows(2) {
            pairs.insert((w[0], w[1]));
        }
        if let Some(&last) = released.last() {
            for &i in &released[..released.len() - 1] {
                pairs.insert((i, last));
            }
            if let Some(draft) = self.editions.iter().position(Edition::is_draft) {
                pairs.insert((last, draft));
            }
        }
        if let Some(c) = self.current {
            for u in self.upcoming(as_of) {
                if u > c {
                    pairs.insert((c, u));
                }
            }
        }
        pairs.into_iter().collect()
    }
}

/// The first day released edition `i` is no longer in force: the earliest effective date of the
/// newer versions (a newer version in force always wins). `None` while none is scheduled.
fn end_of(editions: &[Edition], i: usize) -> Option<Date> {
    editions[i + 1..].iter().filter(|e| !e.is_draft()).filter_map(|e| e.effective).min()
}

/// The edition before `i` when their redline exists (the previous release, or the latest
/// release for the draft, which comes right after it).
fn previous_of(pairs: &[(usize, usize)], i: usize) -> Option<usize> {
    (i > 0 && pairs.contains(&(i - 1, i))).then(|| i - 1)
}

/// The language of file `name` of document `config` (`privacy.en.md` → `en`).
fn lang_of_file(config: &DocumentConfig, name: &str) -> Option<String> {
    let ext = config.extension.as_deref().unwrap_or("md");
    name.strip_prefix(&format!("{}.", config.id))?
        .strip_suffix(&format!(".{ext}"))
        .filter(|l| !l.is_empty() && !l.contains(['/', '\\']))
        .map(str::to_string)
}

/// Orders languages: the source first, then the configured translations, then the rest by name.
fn lang_rank(config: &DocumentConfig, lang: &str) -> (usize, String) {
    let pos = config.languages().iter().position(|l| *l == lang).unwrap_or(usize::MAX);
    (pos, lang.to_string())
}

fn read_lang_file(path: &Path, label: &str, lang: String, file: String) -> Result<LangFile> {
    let bytes = crate::fsutil::read_regular(path, label)?;
    let doc = Document::from_bytes(label, &bytes)?;
    Ok(LangFile { lang, file, bytes, doc })
}

fn load_document<'a>(
    repo: &PolicyRepo,
    config: &'a DocumentConfig,
    as_of: Date,
    preview: bool,
) -> Result<DocSite<'a>> {
    // Each version is read and parsed once, in parallel; the first error in version order wins.
    let releases = releases(&repo.archive_dir(), &config.id)?;
    // The version in force by the archive's own rule (the one consent.json uses too).
    let current = crate::archive::statuses(&releases, as_of)?
        .iter()
        .position(|s| *s == crate::archive::Status::InForce);
    let loaded = parallel_map(&releases, |release| {
        let label = release.version.to_string();
        let dir_label = format!("archive/{}/{label}", config.id);
        let record_label = format!("{dir_label}/release.toml");
        let effective = crate::time::parse_date(
            &format!("{record_label}: effective"),
            &release.record.effective,
        )?;
        let mut files = Vec::new();
        for name in release.record.sources.keys() {
            let Some(lang) = lang_of_file(config, name) else { continue };
            let file_label = format!("{dir_label}/{name}");
            files.push(read_lang_file(&release.dir.join(name), &file_label, lang, name.clone())?);
        }
        files.sort_by_key(|f| lang_rank(config, &f.lang));
        if files.first().is_none_or(|f| f.lang != config.source_language) {
            return Err(Error::Refused(format!(
                "{record_label}: [sources] lists no {}; every release holds its source language",
                config.file_name(&config.source_language)
            )));
        }
        let detected = lang::detect(&files[0].doc.text);
        Ok(Edition {
            label,
            version: Some(release.version),
            record: Some(release.record.clone()),
            effective: Some(effective),
            files,
            detected,
            canon: 0,
            dir_label,
            notes: release.record.notes.clone(),
            annotations: release.record.annotations.clone(),
            imported: release.record.origin == crate::archive::ORIGIN_IMPORTED,
            notes_file: None,
        })
    });
    let mut editions = loaded.into_iter().collect::<Result<Vec<Edition>>>()?;
    if preview {
        let mut files = Vec::new();
        for lang in config.languages() {
            let rel = repo.source_rel(config, lang);
            let path = repo.root.join(&rel);
            if lang != config.source_language && !path.is_file() {
                continue;
            }
            files.push(read_lang_file(&path, &rel, lang.to_string(), config.file_name(lang))?);
        }
        let detected = lang::detect(&files[0].doc.text);
        let notes_file = crate::notes::load(repo, config, None)?;
        editions.push(Edition {
            label: DRAFT.to_string(),
            version: None,
            record: None,
            effective: None,
            files,
            detected,
            canon: 0,
            dir_label: "policy".to_string(),
            notes: notes_file.as_ref().map(|n| n.text.clone()).unwrap_or_default(),
            annotations: notes_file.as_ref().map(|n| n.annotations.clone()).unwrap_or_default(),
            imported: false,
            notes_file,
        });
    }
    let mut first_of: HashMap<&[u8], usize> = HashMap::new();
    let mut canon = Vec::with_capacity(editions.len());
    for (i, e) in editions.iter().enumerate() {
        canon.push(*first_of.entry(e.source().bytes.as_slice()).or_insert(i));
    }
    for (e, c) in editions.iter_mut().zip(canon) {
        e.canon = c;
    }
    Ok(DocSite { config, editions, current })
}

// ---------------------------------------------------------------------------------------------
// URLs (relative to the site root; pages prefix them with their `root`)

fn version_path(doc: &str, label: &str, lang: Option<&str>) -> String {
    match lang {
        None => format!("{doc}/{label}/index.html"),
        Some(l) => format!("{doc}/{label}/{l}/index.html"),
    }
}

fn compare_path(doc: &str, from: &str, to: &str) -> String {
    format!("{doc}/compare/{from}...{to}/index.html")
}

/// `privacy/1.0.0/index.html` → `privacy/1.0.0/` (for absolute links).
fn pretty(path: &str) -> &str {
    path.strip_suffix("index.html").unwrap_or(path)
}

/// `../` once per folder level of `path`.
fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

// ---------------------------------------------------------------------------------------------
// Template contexts

#[derive(Serialize)]
struct Link {
    label: String,
    url: String,
    /// The language of `label` when it may differ from the page's.
    lang: Option<String>,
}

impl Link {
    fn new(label: &str, url: String) -> Link {
        Link { label: label.to_string(), url, lang: None }
    }
}

#[derive(Serialize)]
struct LangLink {
    lang: String,
    name: String,
    url: String,
    current: bool,
}

/// What every page's layout needs.
#[derive(Serialize)]
struct Chrome {
    /// The page language (`lang` attribute and UI strings).
    lang: String,
    /// `../` back to the site root.
    root: String,
    /// The `<title>`.
    title: String,
    /// Page kind, for CSS (`index`, `document`, `compare`, `history`, `as-of`).
    kind: &'static str,
    /// Navigation for the document, when the page belongs to one.
    nav: Vec<Link>,
    /// The document's home, when the page belongs to one.
    doc_home: Option<Link>,
    /// Other languages of this page.
    languages: Vec<LangLink>,
    /// UI strings.
    t: BTreeMap<String, String>,
    /// Level names by contract spelling (`reconsent` → `re-consent`), from the `level_*` strings.
    levels: BTreeMap<String, String>,
    /// Change-kind names by contract spelling, from the `kind_*` strings.
    kinds: BTreeMap<String, String>,
    /// Qualifier names, from the `qualifier_*` strings.
    qualifiers: BTreeMap<String, String>,
    /// Version status names (`current`, `upcoming`, …), from the `status_*` strings.
    statuses: BTreeMap<String, String>,
    /// The page shows the unreleased draft.
    draft: bool,
    /// The page's absolute address (`<link rel="canonical">`), when the base URL is known.
    canonical: Option<String>,
    /// A preview build: every page asks search engines not to index it.
    noindex: bool,
    /// The publisher's branding (`[site]` in policy.toml), the logo as a page can link it.
    brand: Brand,
}

/// `[site]` of `policy.toml` as the layout uses it.
#[derive(Serialize, Clone, Default)]
struct Brand {
    name: Option<String>,
    /// The logo's address: absolute, or relative to the site root ([`LOGO_DIR`]).
    logo: Option<String>,
    /// `logo` is an absolute address (else the page prefixes its `root`).
    logo_external: bool,
    home: Option<String>,
    footer: Option<String>,
}

/// The folder of the site where `build` copies a logo kept in the repository.
const LOGO_DIR: &str = "brand";

impl Brand {
    fn of(config: &crate::repo::SiteConfig) -> Brand {
        let logo = config.logo.as_deref();
        let external = logo.is_some_and(crate::repo::is_web_address);
        Brand {
            name: config.name.clone(),
            logo: logo.map(|l| match external {
                true => l.to_string(),
                false => format!("{LOGO_DIR}/{}", l.rsplit('/').next().unwrap_or(l)),
            }),
            logo_external: external,
            home: config.home.clone(),
            footer: config.footer.clone(),
        }
    }
}

#[derive(Serialize)]
struct EditionInfo {
    label: String,
    effective: Option<String>,
    released_at: Option<String>,
    level: Option<String>,
    summary: Vec<String>,
    /// `current`, `superseded`, `upcoming`, `never` (superseded before it took effect) or `draft`.
    status: &'static str,
    url: String,
    /// The people's note for each of the document's languages (falling back to the source's).
    notes: BTreeMap<String, meta::NoteView>,
    /// The day it was published, in the policy's time zone (`None` for the draft).
    published: Option<String>,
    /// Entered the archive through `redline import` (its record has no note).
    imported: bool,
}

#[derive(Serialize)]
struct TocEntry {
    id: String,
    heading: String,
    depth: u8,
}

#[derive(Serialize)]
struct Download {
    lang: String,
    name: String,
    file: String,
    url: String,
}

#[derive(Serialize)]
struct Upcoming {
    label: String,
    effective: String,
    url: String,
    compare_url: Option<String>,
}

struct Ctx<'a> {
    repo: &'a PolicyRepo,
    criteria: &'a Criteria,
    opts: &'a BuildOptions,
    templates: &'a Templates,
}

/// Writes files into the temporary build folder and counts them.
struct Writer {
    root: PathBuf,
    summary: BuildSummary,
    done: u64,
    total: u64,
}

impl Writer {
    fn write(&mut self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, &e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, &e))?;
        self.summary.files += 1;
        self.summary.bytes += bytes.len() as u64;
        Ok(())
    }

    fn page(&mut self, rel: &str, html: String, progress: &dyn Fn(u64, u64)) -> Result<()> {
        self.write(rel, html.as_bytes())?;
        self.summary.pages += 1;
        self.done += 1;
        progress(self.done, self.total);
        Ok(())
    }
}

impl Ctx<'_> {
    fn render(&self, name: &str, values: &[(&str, &dyn erased::Value)]) -> Result<String> {
        let mut context = tera::Context::new();
        for (k, v) in values {
            v.insert_into(&mut context, k);
        }
        self.templates.render(name, &context)
    }

    fn lang_name(&self, t: &BTreeMap<String, String>, tag: &str) -> String {
        t.get(&format!("lang_{tag}")).cloned().unwrap_or_else(|| lang::endonym(tag))
    }

    fn chrome(
        &self,
        site: Option<&DocSite<'_>>,
        lang: &str,
        path: &str,
        title: String,
        kind: &'static str,
    ) -> Chrome {
        let t = self.templates.strings(lang);
        let (nav, doc_home) = match site {
            Some(s) => {
                let id = &s.config.id;
                let home_title = s.display_title();
                (
                    vec![
                        Link::new(&t["current"], format!("{id}/index.html")),
                        Link::new(&t["history"], format!("{id}/history/index.html")),
                        Link::new(&t["as_of"], format!("{id}/as-of/index.html")),
                        Link::new(&t["feed"], format!("{id}/feed.xml")),
                    ],
                    Some(Link {
                        label: home_title,
                        url: format!("{id}/index.html"),
                        lang: Some(s.config.source_language.clone()),
                    }),
                )
            }
            None => (Vec::new(), None),
        };
        let prefixed = |prefix: &str| -> BTreeMap<String, String> {
            t.iter()
                .filter_map(|(k, v)| Some((k.strip_prefix(prefix)?.to_string(), v.clone())))
                .collect()
        };
        Chrome {
            levels: prefixed("level_"),
            kinds: prefixed("kind_"),
            qualifiers: prefixed("qualifier_"),
            statuses: prefixed("status_"),
            lang: lang.to_string(),
            root: root_of(path),
            title,
            kind,
            nav,
            doc_home,
            languages: Vec::new(),
            t,
            draft: false,
            canonical: self.opts.base_url.as_deref().map(|b| meta::absolute(b, pretty(path))),
            noindex: self.opts.preview,
            brand: Brand::of(&self.repo.config.site),
        }
    }

    fn status(&self, site: &DocSite<'_>, i: usize) -> &'static str {
        let e = &site.editions[i];
        if e.is_draft() {
            "draft"
        } else if site.current == Some(i) {
            "current"
        } else if e.effective > Some(self.opts.as_of) {
            "upcoming"
        } else if end_of(&site.editions, i).is_some_and(|end| Some(end) <= e.effective) {
            "never"
        } else {
            "superseded"
        }
    }

    fn edition_info(&self, site: &DocSite<'_>, i: usize) -> EditionInfo {
        let e = &site.editions[i];
        EditionInfo {
            label: e.label.clone(),
            effective: e.effective.map(|d| d.to_string()),
            released_at: e.record.as_ref().map(|r| r.released_at.clone()),
            level: e.record.as_ref().map(|r| r.level.clone()),
            summary: e
                .record
                .iter()
                .flat_map(|r| &r.summary)
                .map(|s| meta::neutralize_bidi(s).into_owned())
                .collect(),
            status: self.status(site, i),
            url: version_path(&site.config.id, &e.label, None),
            notes: meta::note_views(&e.notes, &site.config.languages()),
            published: e.record.as_ref().and_then(|r| {
                let tz = self.repo.timezone().ok()?;
                meta::publication_date(&r.released_at, &tz).map(|d| d.to_string())
            }),
            imported: e.imported,
        }
    }

    /// The version page of edition `i` in its `k`-th language, at `path`.
    fn document_page(
        &self,
        site: &DocSite<'_>,
        i: usize,
        k: usize,
        path: &str,
        pairs: &[(usize, usize)],
    ) -> Result<String> {
        let id = &site.config.id;
        let e = &site.editions[i];
        let file = &e.files[k];
        let title = site.title(file);
        let mut chrome =
            self.chrome(Some(site), &file.lang, path, format!("{title} · {}", e.label), "document");
        chrome.draft = e.is_draft();
        chrome.languages = e
            .files
            .iter()
            .enumerate()
            .map(|(m, f)| LangLink {
                lang: f.lang.clone(),
                name: lang::endonym(&f.lang),
                url: version_path(id, &e.label, (m > 0).then_some(f.lang.as_str())),
                current: m == k,
            })
            .collect();
        let t = &chrome.t;
        let shift = html::level_shift(&file.doc, 2);
        let toc: Vec<TocEntry> = file
            .doc
            .sections
            .iter()
            .skip(1)
            .map(|s| TocEntry {
                id: format!("{}{}", html::SECTION_ID_PREFIX, s.id),
                heading: s.heading.clone(),
                depth: (s.level as i8 + shift - 1).clamp(1, 5) as u8,
            })
            .collect();
        let body = html::render(&file.doc, shift);
        let reference = file.doc.field("reference_translation") == Some("true")
            || (k > 0 && file.doc.field("translation_of").is_some());
        let translation_of = file
            .doc
            .field("translation_of")
            .map(str::to_string)
            .unwrap_or_else(|| site.config.source_language.clone());
        let downloads: Vec<Download> = e
            .files
            .iter()
            .map(|f| Download {
                lang: f.lang.clone(),
                name: lang::endonym(&f.lang),
                file: f.file.clone(),
                url: format!("{id}/{}/{}", e.label, f.file),
            })
            .collect();
        // Links to other versions stay in this page's language when that version has it.
        let same_lang = |j: usize| {
            let f = &site.editions[j].files;
            let k = f.iter().position(|x| x.lang == file.lang).unwrap_or(0);
            version_path(id, &site.editions[j].label, (k > 0).then_some(file.lang.as_str()))
        };
        let current = site
            .current
            .filter(|&c| c != i)
            .map(|c| Link::new(&site.editions[c].label, same_lang(c)));
        let compare_to = |a: usize, b: usize| {
            pairs
                .contains(&(a, b))
                .then(|| compare_path(id, &site.editions[a].label, &site.editions[b].label))
        };
        let upcoming: Vec<Upcoming> = if site.current == Some(i) {
            site.upcoming(self.opts.as_of)
                .into_iter()
                .map(|u| Upcoming {
                    label: site.editions[u].label.clone(),
                    effective: site.editions[u]
                        .effective
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    url: same_lang(u),
                    compare_url: compare_to(i, u),
                })
                .collect()
        } else {
            Vec::new()
        };
        let previous = previous_of(pairs, i).map(|a| {
            Link::new(&site.editions[a].label, compare_path(id, &site.editions[a].label, &e.label))
        });
        let info = self.edition_info(site, i);
        let doc_title = title.clone();
        let source_name = self.lang_name(t, &translation_of);
        self.render(
            "document.html",
            &[
                ("chrome", &chrome),
                ("title", &doc_title),
                ("edition", &info),
                ("is_home", &(path == format!("{id}/index.html"))),
                ("reference_translation", &reference),
                ("translation_of", &source_name),
                ("toc", &toc),
                ("body", &body),
                ("downloads", &downloads),
                ("current", &current),
                ("upcoming", &upcoming),
                ("previous", &previous),
            ],
        )
    }
}

/// Type erasure so page contexts can be listed as `(name, value)` pairs.
mod erased {
    /// A serialisable context value.
    pub(super) trait Value {
        fn insert_into(&self, ctx: &mut tera::Context, key: &str);
    }
    impl<T: serde::Serialize> Value for T {
        fn insert_into(&self, ctx: &mut tera::Context, key: &str) {
            ctx.insert(key, self);
        }
    }
}

/// `f` applied to every item on up to [`std::thread::available_parallelism`] threads (at most
/// 4), results in the order of `items`, so output does not depend on scheduling.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
    if threads == 1 || items.len() < 2 {
        return items.iter().map(f).collect();
    }
    // Interleaved chunks balance long and short items (the newest versions are often longest).
    let f = &f;
    let mut slots: Vec<Option<R>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    items
                        .iter()
                        .enumerate()
                        .skip(t)
                        .step_by(threads)
                        .map(|(i, x)| (i, f(x)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut slots: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
        for h in handles {
            for (i, r) in h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)) {
                slots[i] = Some(r);
            }
        }
        slots
    });
    slots.iter_mut().map(|s| s.take().expect("every item mapped")).collect()
}

/// The outcome of comparing two editions' source texts.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Outcome {
    /// The redline.
    Redline {
        /// The view.
        view: Box<RedlineView>,
    },
    /// The texts are in different languages: no redline.
    LanguageSwitch {
        /// The old text's language (primary tag).
        from: String,
        /// The new text's language.
        to: String,
    },
}

/// Builds the site of `repo` into `opts.out`; `progress(done, total)` is called after each page.
///
/// Errors: an unreadable or malformed archive file or working source (naming it), a template
/// error, an I/O error, or an `--out` folder that exists, is not empty and was not built by
/// redline. On error nothing in `opts.out` has changed.
pub fn build(
    repo: &PolicyRepo,
    criteria: &Criteria,
    opts: &BuildOptions,
    progress: &dyn Fn(u64, u64),
) -> Result<BuildSummary> {
    check_out(repo, &opts.out)?;
    let user_templates = opts.templates.clone().unwrap_or_else(|| repo.root.join("templates"));
    let templates = Templates::load(Some(&user_templates))?;
    let ctx = Ctx { repo, criteria, opts, templates: &templates };
    let mut sites = Vec::new();
    for config in &repo.config.documents {
        sites.push(load_document(repo, config, opts.as_of, opts.preview)?);
    }
    let all_pairs: Vec<Vec<(usize, usize)>> = sites.iter().map(|s| s.pairs(opts.as_of)).collect();
    let total: u64 = 1 + sites
        .iter()
        .zip(&all_pairs)
        .map(|(s, p)| {
            (4 + p.len() + s.editions.iter().map(|e| e.files.len()).sum::<usize>()) as u64
        })
        .sum::<u64>();
    let parent = match opts.out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, &e))?;
    let tmp = tempfile::Builder::new()
        .prefix(".redline-build-")
        .tempdir_in(&parent)
        .map_err(|e| Error::io(&parent, &e))?;
    let mut w =
        Writer { root: tmp.path().to_path_buf(), summary: BuildSummary::default(), done: 0, total };
    w.write(
        MARKER,
        b"Built by `redline build`; the next build replaces this folder as a whole.\n",
    )?;
    w.write("style.css", templates.css.as_bytes())?;
    if let Some(logo) = repo.config.site.logo.as_deref()
        && !crate::repo::is_web_address(logo)
        && let Some(rel) = Brand::of(&repo.config.site).logo
    {
        let bytes = crate::fsutil::read_regular(&repo.root.join(logo), logo)?;
        w.write(&rel, &bytes)?;
    }
    w.write(
        "consent.json",
        consent_manifest(repo, criteria, opts.as_of, opts.base_url.as_deref())?.as_bytes(),
    )?;
    for (site, pairs) in sites.iter().zip(&all_pairs) {
        build_document(&ctx, site, pairs, &mut w, progress)?;
        w.summary.documents += 1;
    }
    let index = index_page(&ctx, &sites)?;
    w.page("index.html", index, progress)?;
    let summary = w.summary.clone();
    swap_in(tmp, &opts.out)?;
    Ok(summary)
}

/// Refuses an `--out` that would lose data: the repository itself or a folder above it, or a
/// non-empty folder that was not built by redline.
fn check_out(repo: &PolicyRepo, out: &Path) -> Result<()> {
    let shown = out.display();
    if out.exists() && !out.is_dir() {
        return Err(Error::Refused(format!("--out {shown}: exists and is not a folder")));
    }
    let abs = resolve(out);
    let root = resolve(&repo.root);
    if root.starts_with(&abs)
        || abs.starts_with(root.join("policy"))
        || abs.starts_with(root.join("archive"))
    {
        return Err(Error::Refused(format!(
            "--out {shown}: would replace the policy repository or its sources; choose a folder of its own such as site/"
        )));
    }
    if out.is_dir() && !out.join(MARKER).is_file() {
        let mut entries = std::fs::read_dir(out).map_err(|e| Error::io(out, &e))?;
        if entries.next().is_some() {
            return Err(Error::Refused(format!(
                "--out {shown}: the folder is not empty and was not built by redline (no {MARKER}); choose another folder or empty it"
            )));
        }
    }
    Ok(())
}

/// `path` made absolute (a relative path is relative to the current folder) with every symbolic
/// link and `.`/`..` resolved, whether or not it exists: its nearest existing ancestor is
/// canonicalised and the rest appended, `..` removing the component before it.
fn resolve(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut base = abs.as_path();
    let mut tail = Vec::new();
    let mut out = loop {
        if let Ok(canonical) = base.canonicalize() {
            break canonical;
        }
        match (base.parent(), base.file_name()) {
            (Some(parent), Some(name)) => {
                tail.push(std::path::Component::Normal(name));
                base = parent;
            }
            (Some(parent), None) => {
                // `..` or `.` at the end: keep it for the lexical pass.
                tail.extend(base.components().next_back());
                base = parent;
            }
            (None, _) => break base.to_path_buf(),
        }
    };
    for c in tail.into_iter().rev() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::Normal(name) => out.push(name),
            _ => {}
        }
    }
    out
}

/// Replaces `out` with the finished build in `tmp`.
fn swap_in(tmp: tempfile::TempDir, out: &Path) -> Result<()> {
    let parent = tmp.path().parent().map(Path::to_path_buf).unwrap_or_default();
    let old_holder = if out.exists() {
        let holder = tempfile::Builder::new()
            .prefix(".redline-old-")
            .tempdir_in(&parent)
            .map_err(|e| Error::io(&parent, &e))?;
        std::fs::rename(out, holder.path().join("site")).map_err(|e| Error::io(out, &e))?;
        Some(holder)
    } else {
        None
    };
    let built = tmp.keep();
    if let Err(e) = std::fs::rename(&built, out) {
        // Put the previous site back; the new one stays beside it for inspection.
        if let Some(holder) = &old_holder {
            let _ = std::fs::rename(holder.path().join("site"), out);
        }
        return Err(Error::io(out, &e));
    }
    drop(old_holder);
    Ok(())
}

fn build_document(
    ctx: &Ctx<'_>,
    site: &DocSite<'_>,
    pairs: &[(usize, usize)],
    w: &mut Writer,
    progress: &dyn Fn(u64, u64),
) -> Result<()> {
    let id = &site.config.id;
    // Home: the version in force.
    let home = format!("{id}/index.html");
    let html = match site.current {
        Some(c) => ctx.document_page(site, c, 0, &home, pairs)?,
        None => no_version_page(ctx, site, &home)?,
    };
    w.page(&home, html, progress)?;
    // Every version, every language, and its raw sources (rendered in parallel, written in order).
    let jobs: Vec<(usize, usize)> = site
        .editions
        .iter()
        .enumerate()
        .flat_map(|(i, e)| (0..e.files.len()).map(move |k| (i, k)))
        .collect();
    let pages = parallel_map(&jobs, |&(i, k)| {
        let e = &site.editions[i];
        let path = version_path(id, &e.label, (k > 0).then_some(e.files[k].lang.as_str()));
        ctx.document_page(site, i, k, &path, pairs).map(|html| (path, html))
    });
    for (&(i, k), page) in jobs.iter().zip(pages) {
        let (path, html) = page?;
        w.page(&path, html, progress)?;
        let e = &site.editions[i];
        w.write(&format!("{id}/{}/{}", e.label, e.files[k].file), &e.files[k].bytes)?;
    }
    w.summary.versions += site.editions.len();
    // Redlines: each distinct pair of texts is compared once (in parallel); each page rendered.
    let mut keys: Vec<(usize, usize)> = Vec::new();
    let mut index_of: HashMap<(usize, usize), usize> = HashMap::new();
    let mut first_pair: Vec<(usize, usize)> = Vec::new();
    for &(a, b) in pairs {
        let key = (site.editions[a].canon, site.editions[b].canon);
        index_of.entry(key).or_insert_with(|| {
            keys.push(key);
            first_pair.push((a, b));
            keys.len() - 1
        });
    }
    let outcomes = parallel_map(&first_pair, |&(a, b)| compare_editions(ctx, site, a, b));
    w.summary.diffs_computed +=
        outcomes.iter().filter(|o| matches!(o, Outcome::Redline { .. })).count();
    // The draft's annotations must each name one of its findings while their version is still
    // to be released (the release would refuse them); once released, a stray is a warning.
    if let Some(d) = site.editions.iter().position(Edition::is_draft)
        && let Some(notes) = &site.editions[d].notes_file
        && let Some(last) = site.latest()
        && let Some(k) = index_of.get(&(site.editions[last].canon, site.editions[d].canon))
        && let Outcome::Redline { view } = &outcomes[*k]
    {
        let keys: Vec<&str> = view.findings.iter().map(|f| f.key.as_str()).collect();
        let messages = notes.unmatched_key_messages(&keys);
        if site.editions[last].version.is_some_and(|v| notes.version <= v) {
            w.summary.warnings.extend(messages);
        } else if let Some(m) = messages.into_iter().next() {
            return Err(Error::Refused(m));
        }
    }
    let pages = parallel_map(pairs, |&(a, b)| {
        let outcome = &outcomes[index_of[&(site.editions[a].canon, site.editions[b].canon)]];
        let path = compare_path(id, &site.editions[a].label, &site.editions[b].label);
        compare_page(ctx, site, a, b, outcome, &path).map(|html| (path, html))
    });
    for page in pages {
        let (path, html) = page?;
        w.page(&path, html, progress)?;
        w.summary.comparisons += 1;
    }
    let path = format!("{id}/history/index.html");
    let html = history_page(ctx, site, pairs, &path)?;
    w.page(&path, html, progress)?;
    let path = format!("{id}/as-of/index.html");
    let html = as_of_page(ctx, site, &path)?;
    w.page(&path, html, progress)?;
    let path = format!("{id}/feed.xml");
    let xml = feed(ctx, site)?;
    w.page(&path, xml, progress)?;
    Ok(())
}

fn compare_editions(ctx: &Ctx<'_>, site: &DocSite<'_>, a: usize, b: usize) -> Outcome {
    let (ea, eb) = (&site.editions[a], &site.editions[b]);
    if let (Some(la), Some(lb)) = (ea.detected, eb.detected)
        && la != lb
        && ea.canon != eb.canon
    {
        return Outcome::LanguageSwitch { from: la.to_string(), to: lb.to_string() };
    }
    let side = |e: &Edition| Side {
        label: if e.is_draft() { "working tree".to_string() } else { e.label.clone() },
        version: e.version.map(|v| v.to_string()),
        rev: None,
        path: format!("{}/{}", e.dir_label, e.source().file),
    };
    let cmp = compare_documents(
        &site.config.id,
        side(ea),
        side(eb),
        ea.source().doc.clone(),
        eb.source().doc.clone(),
        ctx.criteria,
    );
    let shift = html::level_shift(&cmp.new, 3);
    Outcome::Redline { view: Box::new(redline::view(&cmp, shift)) }
}

fn compare_page(
    ctx: &Ctx<'_>,
    site: &DocSite<'_>,
    a: usize,
    b: usize,
    outcome: &Outcome,
    path: &str,
) -> Result<String> {
    let (ea, eb) = (&site.editions[a], &site.editions[b]);
    let src = &site.config.source_language;
    let title = site.title(eb.source());
    let mut chrome = ctx.chrome(
        Some(site),
        src,
        path,
        format!("{title} · {} → {}", ea.label, eb.label),
        "compare",
    );
    chrome.draft = eb.is_draft();
    let t = &chrome.t;
    let names = match outcome {
        Outcome::LanguageSwitch { from, to } => {
            Some((ctx.lang_name(t, from), ctx.lang_name(t, to)))
        }
        Outcome::Redline { .. } => None,
    };
    ctx.render(
        "compare.html",
        &[
            ("chrome", &chrome),
            ("title", &title),
            ("from", &ctx.edition_info(site, a)),
            ("to", &ctx.edition_info(site, b)),
            ("outcome", outcome),
            ("language_names", &names),
            ("annotations", &meta::annotation_views(&eb.annotations, src, src)),
        ],
    )
}

/// The document's home while no released version is in force (none released, or all upcoming).
fn no_version_page(ctx: &Ctx<'_>, site: &DocSite<'_>, path: &str) -> Result<String> {
    let src = &site.config.source_language;
    let title = site.display_title();
    let chrome = ctx.chrome(Some(site), src, path, title.clone(), "document");
    let upcoming: Vec<Upcoming> = site
        .upcoming(ctx.opts.as_of)
        .into_iter()
        .map(|u| Upcoming {
            label: site.editions[u].label.clone(),
            effective: site.editions[u].effective.map(|d| d.to_string()).unwrap_or_default(),
            url: version_path(&site.config.id, &site.editions[u].label, None),
            compare_url: None,
        })
        .collect();
    let draft = site
        .editions
        .iter()
        .find(|e| e.is_draft())
        .map(|e| version_path(&site.config.id, &e.label, None));
    ctx.render(
        "document.html",
        &[
            ("chrome", &chrome),
            ("title", &title),
            ("edition", &None::<EditionInfo>),
            ("is_home", &true),
            ("upcoming", &upcoming),
            ("draft_url", &draft),
        ],
    )
}

#[derive(Serialize)]
struct HistoryRow {
    info: EditionInfo,
    /// One line: the first summary line and how many more.
    summary: String,
    more: usize,
    compare_url: Option<String>,
    previous: Option<String>,
}

fn history_rows(site: &DocSite<'_>, ctx: &Ctx<'_>, pairs: &[(usize, usize)]) -> Vec<HistoryRow> {
    let id = &site.config.id;
    let mut rows: Vec<HistoryRow> = site
        .editions
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let info = ctx.edition_info(site, i);
            let prev = previous_of(pairs, i);
            HistoryRow {
                summary: info.summary.first().cloned().unwrap_or_default(),
                more: info.summary.len().saturating_sub(1),
                compare_url: prev.map(|a| compare_path(id, &site.editions[a].label, &e.label)),
                previous: prev.map(|a| site.editions[a].label.clone()),
                info,
            }
        })
        .collect();
    rows.reverse();
    rows
}

fn history_page(
    ctx: &Ctx<'_>,
    site: &DocSite<'_>,
    pairs: &[(usize, usize)],
    path: &str,
) -> Result<String> {
    let src = &site.config.source_language;
    let title = site.display_title();
    let chrome = ctx.chrome(
        Some(site),
        src,
        path,
        format!("{title} · {}", ctx.templates.strings(src)["history"]),
        "history",
    );
    let rows = history_rows(site, ctx, pairs);
    ctx.render("history.html", &[("chrome", &chrome), ("title", &title), ("rows", &rows)])
}

#[derive(Serialize)]
struct Period {
    label: String,
    url: String,
    from: String,
    /// Last day in force (inclusive), `None` while still in force or upcoming.
    until: Option<String>,
    status: &'static str,
}

/// Which version was in force over which dates, newest version first: each from its effective
/// date to the day before a newer version took (or takes) effect; a version overtaken on or
/// before its own effective date was never in force.
fn periods(ctx: &Ctx<'_>, site: &DocSite<'_>) -> Vec<Period> {
    let mut out = Vec::new();
    for (i, e) in site.released() {
        let Some(from) = e.effective else { continue };
        let status = ctx.status(site, i);
        let until = end_of(&site.editions, i)
            .filter(|&end| end > from)
            .and_then(|end| end.yesterday().ok())
            .map(|d| d.to_string());
        out.push(Period {
            label: e.label.clone(),
            url: version_path(&site.config.id, &e.label, None),
            from: from.to_string(),
            until,
            status,
        });
    }
    out.reverse();
    out
}

fn as_of_page(ctx: &Ctx<'_>, site: &DocSite<'_>, path: &str) -> Result<String> {
    let src = &site.config.source_language;
    let title = site.display_title();
    let chrome = ctx.chrome(
        Some(site),
        src,
        path,
        format!("{title} · {}", ctx.templates.strings(src)["as_of"]),
        "as-of",
    );
    let periods = periods(ctx, site);
    ctx.render(
        "as_of.html",
        &[
            ("chrome", &chrome),
            ("title", &title),
            ("periods", &periods),
            ("as_of", &ctx.opts.as_of.to_string()),
            ("timezone", &ctx.repo.config.timezone),
        ],
    )
}

#[derive(Serialize)]
struct FeedEntry {
    label: String,
    id: String,
    link: String,
    updated: String,
    effective: String,
    level: String,
    summary: Vec<String>,
    compare_link: Option<String>,
    /// The people's note in the feed's language (the machine summary follows it).
    note: Option<meta::NoteView>,
}

fn feed(ctx: &Ctx<'_>, site: &DocSite<'_>) -> Result<String> {
    let id = &site.config.id;
    let src = &site.config.source_language;
    let t = ctx.templates.strings(src);
    let base = ctx.opts.base_url.as_deref().map(|b| format!("{}/", b.trim_end_matches('/')));
    // Without --base-url, links are relative to the feed (feed.xml sits in <doc>/).
    let link = |path: &str| match &base {
        Some(b) => format!("{b}{}", pretty(path)),
        None => pretty(path).strip_prefix(&format!("{id}/")).unwrap_or(pretty(path)).to_string(),
    };
    let released: Vec<(usize, &Edition)> = site.released().collect();
    // Globally unique, stable ids: tag URIs under the site's host, dated by the first release.
    let tag_date = released
        .first()
        .and_then(|(_, e)| e.record.as_ref())
        .and_then(|r| r.released_at.get(..10))
        .and_then(|d| d.parse::<Date>().ok());
    let feed_id = |specific: &str| {
        match (ctx.opts.base_url.as_deref(), tag_date) {
            (Some(b), Some(d)) => meta::tag_uri(b, d, specific),
            _ => None,
        }
        .unwrap_or_else(|| format!("urn:redline:{}", specific.replace('/', ":")))
    };
    let mut entries = Vec::new();
    for (n, &(_, e)) in released.iter().enumerate() {
        let record = e.record.as_ref();
        entries.push(FeedEntry {
            note: meta::note_views(&e.notes, &site.config.languages()).remove(src.as_str()),
            label: e.label.clone(),
            id: feed_id(&format!("{id}/{}", e.label)),
            link: link(&version_path(id, &e.label, None)),
            updated: record.map(|r| r.released_at.clone()).unwrap_or_default(),
            effective: e.effective.map(|d| d.to_string()).unwrap_or_default(),
            level: record.map(|r| r.level.clone()).unwrap_or_default(),
            summary: record.map(|r| r.summary.clone()).unwrap_or_default(),
            compare_link: (n > 0)
                .then(|| link(&compare_path(id, &released[n - 1].1.label, &e.label))),
        });
    }
    entries.reverse();
    let updated = entries
        .iter()
        .map(|e| e.updated.clone())
        .max()
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let title = site.display_title();
    let xml = ctx.render(
        "feed.xml",
        &[
            (
                "levels",
                &t.iter()
                    .filter_map(|(k, v)| Some((k.strip_prefix("level_")?, v)))
                    .collect::<BTreeMap<_, _>>(),
            ),
            ("t", &t),
            ("lang", src),
            ("title", &title),
            ("feed_id", &feed_id(id)),
            ("self_link", &base.as_ref().map(|b| format!("{b}{id}/feed.xml"))),
            ("home_link", &link(&format!("{id}/index.html"))),
            ("updated", &updated),
            ("entries", &entries),
        ],
    )?;
    Ok(meta::neutralize_bidi(&xml_safe(&xml)).into_owned())
}

/// `xml` without the characters XML 1.0 forbids (C0 controls other than tab, line feed and
/// carriage return; a policy may carry them from copy and paste), each replaced by U+FFFD so a
/// feed reader still parses the feed and the reader sees where something was.
fn xml_safe(xml: &str) -> String {
    let forbidden = |c: char| matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}');
    if !xml.contains(forbidden) {
        return xml.to_string();
    }
    xml.chars().map(|c| if forbidden(c) { '\u{fffd}' } else { c }).collect()
}

#[derive(Serialize)]
struct IndexDoc {
    id: String,
    title: String,
    lang: String,
    url: String,
    current: Option<EditionInfo>,
    upcoming: Vec<EditionInfo>,
    versions: usize,
    history_url: String,
    feed_url: String,
}

fn index_page(ctx: &Ctx<'_>, sites: &[DocSite<'_>]) -> Result<String> {
    let lang = sites.first().map_or("en", |s| s.config.source_language.as_str());
    let chrome = ctx.chrome(
        None,
        lang,
        "index.html",
        ctx.templates.strings(lang)["site_title"].clone(),
        "index",
    );
    let docs: Vec<IndexDoc> = sites
        .iter()
        .map(|s| IndexDoc {
            id: s.config.id.clone(),
            title: s.display_title(),
            lang: s.config.source_language.clone(),
            url: format!("{}/index.html", s.config.id),
            current: s.current.map(|c| ctx.edition_info(s, c)),
            upcoming: s
                .upcoming(ctx.opts.as_of)
                .into_iter()
                .map(|u| ctx.edition_info(s, u))
                .collect(),
            versions: s.released().count(),
            history_url: format!("{}/history/index.html", s.config.id),
            feed_url: format!("{}/feed.xml", s.config.id),
        })
        .collect();
    ctx.render("index.html", &[("chrome", &chrome), ("docs", &docs)])
}

#[cfg(test)]
mod tests {

    #[test]
    fn feeds_never_carry_characters_xml_forbids() {
        assert_eq!(
            super::xml_safe("<t>a\u{5}b\u{1b}[0m\tc</t>"),
            "<t>a\u{fffd}b\u{fffd}[0m\tc</t>"
        );
        assert_eq!(super::xml_safe("<t>plain</t>"), "<t>plain</t>");
    }

    use super::*;

    #[test]
    fn paths_and_roots() {
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("privacy/1.0.0/en/index.html"), "../../../");
        assert_eq!(pretty("privacy/1.0.0/index.html"), "privacy/1.0.0/");
        assert_eq!(
            compare_path("privacy", "1.0.0", "2.0.0"),
            "privacy/compare/1.0.0...2.0.0/index.html"
        );
    }
}
