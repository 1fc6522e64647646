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
use crate::translation::{Snapshot, StaleSection};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
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
    /// Add what the legal team needs beside each finding (rule ids, review flags): for an
    /// internal copy of the site, never for the public one.
    pub audit: bool,
}

/// What a build wrote.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BuildSummary {
    /// Documents rendered.
    pub documents: usize,
    /// Versions rendered (released, plus the draft with `--preview`).
    pub versions: usize,
    /// Comparisons published (each has a redline page in the source language, and one in every
    /// translation both versions have).
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
    /// Per translation: its stale sections (their source section changed in a later edition
    /// than they did).
    stale: BTreeMap<String, Vec<StaleSection>>,
    /// Translations whose section ids differ from the source's.
    ids_differ: BTreeSet<String>,
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

    /// The index of this edition's file in `lang`.
    fn file(&self, lang: &str) -> Option<usize> {
        self.files.iter().position(|f| f.lang == lang)
    }

    /// Whether the translation `lang` lags behind the source (stale sections or other ids).
    fn is_stale(&self, lang: &str) -> bool {
        self.ids_differ.contains(lang) || self.stale.get(lang).is_some_and(|s| !s.is_empty())
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
    /// Every language of the site's pages: the source first, then the translations (configured,
    /// then any other an edition has, by name).
    langs: Vec<String>,
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

    /// Upcoming released versions (effective after `as_of`), earliest first; a version
    /// superseded on or before its own effective date (two releases for the same day) is never
    /// in force and is not one of them, so each upcoming change is listed once.
    fn upcoming(&self, as_of: Date) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .released()
            .filter(|&(i, _)| self.status(i, as_of) == "upcoming")
            .map(|(i, _)| i)
            .collect();
        out.sort_by_key(|&i| (self.editions[i].effective, self.editions[i].version));
        out
    }

    /// The status of edition `i` on `as_of`: `draft`, `current` (in force), `never` (superseded
    /// on or before its own effective date, so never in force: it may not have taken effect
    /// yet), `upcoming`, or `superseded`.
    fn status(&self, i: usize, as_of: Date) -> &'static str {
        let e = &self.editions[i];
        if e.is_draft() {
            "draft"
        } else if self.current == Some(i) {
            "current"
        } else if end_of(&self.editions, i).is_some_and(|end| Some(end) <= e.effective) {
            "never"
        } else if e.effective > Some(as_of) {
            "upcoming"
        } else {
            "superseded"
        }
    }

    /// The edition a page compares edition `i` with: the nearest earlier one that was, is or
    /// will be in force (one never in force is skipped: the version in force is not compared
    /// with a text nobody was bound by); for the draft, the latest release.
    fn previous(&self, i: usize, as_of: Date) -> Option<usize> {
        if self.editions[i].is_draft() {
            return self.latest();
        }
        (0..i).rev().find(|&j| self.status(j, as_of) != "never").or(i.checked_sub(1))
    }

    /// The dates edition `i` is (or was, or will be) in force: its effective date and the last
    /// day before a newer version takes over (`None` while no newer one is scheduled). `None`
    /// for the draft and for a version never in force.
    fn period(&self, i: usize) -> Option<(Date, Option<Date>)> {
        let from = self.editions[i].effective?;
        let end = end_of(&self.editions, i);
        if end.is_some_and(|end| end <= from) {
            return None;
        }
        Some((from, end.and_then(|d| d.yesterday().ok())))
    }

    /// `lang` as a path segment: `None` for the source language (its pages keep the plain paths).
    fn tag<'l>(&self, lang: &'l str) -> Option<&'l str> {
        (lang != self.config.source_language).then_some(lang)
    }

    /// The page of edition `i` in `lang`, else in the source language.
    fn version_url(&self, i: usize, lang: &str) -> String {
        let e = &self.editions[i];
        let tag = e.file(lang).filter(|&k| k > 0).map(|_| lang);
        version_path(&self.config.id, &e.label, tag)
    }

    /// Whether both editions have a text in `lang` (so their redline exists in it).
    fn both_have(&self, a: usize, b: usize, lang: &str) -> bool {
        self.editions[a].file(lang).is_some() && self.editions[b].file(lang).is_some()
    }

    /// The redline page `a` → `b` in `lang`, else in the source language.
    fn compare_url(&self, a: usize, b: usize, lang: &str) -> String {
        let path = compare_path(&self.config.id, &self.editions[a].label, &self.editions[b].label);
        localized(&path, self.tag(lang).filter(|l| self.both_have(a, b, l)))
    }

    /// The document's title in `lang` and the language it is written in: the front-matter
    /// title of the version in force (else the latest) in that language, else
    /// [`Self::display_title`] in the source language.
    fn display_title_in(&self, lang: &str) -> (String, String) {
        self.current
            .or(self.latest())
            .and_then(|i| {
                let k = self.editions[i].file(lang)?;
                Some((self.title(&self.editions[i].files[k]), lang.to_string()))
            })
            .unwrap_or_else(|| (self.display_title(), self.config.source_language.clone()))
    }

    /// The language switcher of a page in `page_lang`: every language of `langs` with the URL
    /// `url` gives for it (`None`: the source language).
    fn lang_links(
        &self,
        langs: &[&str],
        page_lang: &str,
        url: impl Fn(Option<&str>) -> String,
    ) -> Vec<LangLink> {
        langs
            .iter()
            .map(|&l| LangLink {
                lang: l.to_string(),
                name: lang::endonym(l),
                url: url(self.tag(l)),
                current: l == page_lang,
            })
            .collect()
    }

    /// The pairs that get a redline page: consecutive versions, every version to the version in
    /// force and to the latest, each version to the one its page compares it with
    /// ([`Self::previous`]), the version in force to each upcoming one, and the latest to the
    /// draft.
    fn pairs(&self, as_of: Date) -> Vec<(usize, usize)> {
        let released: Vec<usize> = self.released().map(|(i, _)| i).collect();
        let mut pairs = BTreeSet::new();
        for w in released.windows(2) {
            pairs.insert((w[0], w[1]));
        }
        for &i in &released {
            for target in [self.current, self.latest()].into_iter().flatten() {
                if i < target {
                    pairs.insert((i, target));
                }
            }
        }
        for (i, _) in self.editions.iter().enumerate() {
            if let Some(p) = self.previous(i, as_of).filter(|&p| p != i) {
                pairs.insert((p, i));
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
            stale: BTreeMap::new(),
            ids_differ: BTreeSet::new(),
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
            stale: BTreeMap::new(),
            ids_differ: BTreeSet::new(),
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
    let mut langs: Vec<String> = config.languages().iter().map(|l| l.to_string()).collect();
    for f in editions.iter().flat_map(|e| &e.files) {
        if !langs.contains(&f.lang) {
            langs.push(f.lang.clone());
        }
    }
    langs.sort_by_key(|l| lang_rank(config, l));
    // Staleness by the editions themselves (released ones, then the draft), as `consent.json`
    // judges it from the archive.
    for lang in langs.iter().skip(1) {
        let history: Vec<Snapshot> = editions
            .iter()
            .map(|e| Snapshot {
                label: e.label.clone(),
                source: Some(e.source().doc.clone()),
                translation: e.file(lang).map(|k| e.files[k].doc.clone()),
            })
            .collect();
        let each = crate::translation::stale_sections_each(&history);
        for (e, stale) in editions.iter_mut().zip(each) {
            let Some(k) = e.file(lang) else { continue };
            if !crate::translation::compare_ids(&e.source().doc, &e.files[k].doc).is_empty() {
                e.ids_differ.insert(lang.clone());
            }
            e.stale.insert(lang.clone(), stale);
        }
    }
    Ok(DocSite { config, editions, current, langs })
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

/// The page at `path` (`…/index.html`) in language `lang`: the source language (`None`) keeps
/// the path, another appends `<lang>/` to its folder (`privacy/history/en/index.html`).
fn localized(path: &str, lang: Option<&str>) -> String {
    match lang {
        None => path.to_string(),
        Some(l) => format!("{}{l}/index.html", path.strip_suffix("index.html").unwrap_or(path)),
    }
}

/// The Atom feed of `doc` in `lang` (`privacy/feed.xml`, `privacy/feed.en.xml`).
fn feed_path(doc: &str, lang: Option<&str>) -> String {
    match lang {
        None => format!("{doc}/feed.xml"),
        Some(l) => format!("{doc}/feed.{l}.xml"),
    }
}

/// The stable address of "what changed since version `label`" (a redline to the latest).
fn changes_since_path(doc: &str, label: &str, lang: Option<&str>) -> String {
    localized(&format!("{doc}/changes-since/{label}/index.html"), lang)
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
    /// What each level means to a reader, from the `level_desc_*` strings (the legend).
    level_descs: BTreeMap<String, String>,
    /// Change-kind names by contract spelling, from the `kind_*` strings.
    kinds: BTreeMap<String, String>,
    /// Qualifier names, from the `qualifier_*` strings.
    qualifiers: BTreeMap<String, String>,
    /// Version status names (`current`, `upcoming`, …), from the `status_*` strings.
    statuses: BTreeMap<String, String>,
    /// The page shows the unreleased draft.
    draft: bool,
    /// The page is for the legal team (`build --audit`): rule ids and review flags are shown.
    audit: bool,
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
    /// First day in force (`None` for the draft and a version never in force).
    in_force_from: Option<String>,
    /// Last day in force, inclusive (`None` while no newer version is scheduled).
    in_force_until: Option<String>,
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
    /// The section of a translation is stale.
    stale: bool,
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
                let tag = s.tag(lang);
                let page = |p: &str| localized(&format!("{id}/{p}index.html"), tag);
                let (home_title, title_lang) = s.display_title_in(lang);
                (
                    vec![
                        Link::new(&t["current"], page("")),
                        Link::new(&t["history"], page("history/")),
                        Link::new(&t["comparisons"], page("compare/")),
                        Link::new(&t["as_of"], page("as-of/")),
                        Link::new(&t["feed"], feed_path(id, tag)),
                    ],
                    Some(Link { label: home_title, url: page(""), lang: Some(title_lang) }),
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
            level_descs: prefixed("level_desc_"),
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
            audit: self.opts.audit,
            canonical: self.opts.base_url.as_deref().map(|b| meta::absolute(b, pretty(path))),
            noindex: self.opts.preview,
            brand: Brand::of(&self.repo.config.site),
        }
    }

    fn status(&self, site: &DocSite<'_>, i: usize) -> &'static str {
        site.status(i, self.opts.as_of)
    }

    /// How a page in `lang` names edition `e`: its version, or the draft in that language (its
    /// folder stays `draft`).
    fn label(&self, e: &Edition, lang: &str) -> String {
        match e.is_draft() {
            true => self.templates.strings(lang).remove("draft").unwrap_or_else(|| e.label.clone()),
            false => e.label.clone(),
        }
    }

    /// Edition `i` as list pages show it, linking its page in `lang` where it has one.
    fn edition_info(&self, site: &DocSite<'_>, i: usize, lang: &str) -> EditionInfo {
        let e = &site.editions[i];
        let period = site.period(i);
        EditionInfo {
            label: self.label(e, lang),
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
            url: site.version_url(i, lang),
            in_force_from: period.map(|(from, _)| from.to_string()),
            in_force_until: period.and_then(|(_, until)| until).map(|d| d.to_string()),
            notes: meta::note_views(&e.notes, &site.config.languages()),
            published: e.record.as_ref().and_then(|r| {
                let tz = self.repo.timezone().ok()?;
                meta::publication_date(&r.released_at, &tz).map(|d| d.to_string())
            }),
            imported: e.imported,
        }
    }

    /// The version page of edition `i` in its `k`-th language, at `path`, for readers of
    /// `page_lang` (the file's language, or another when the edition lacks it: then the text is
    /// the source's under that language's navigation). `home`: the page is the document's home
    /// in `page_lang` (its language switcher leads to the other homes).
    fn document_page(
        &self,
        site: &DocSite<'_>,
        i: usize,
        k: usize,
        page_lang: &str,
        path: &str,
        home: bool,
    ) -> Result<String> {
        let id = &site.config.id;
        let as_of = self.opts.as_of;
        let e = &site.editions[i];
        let file = &e.files[k];
        let title = site.title(file);
        let mut chrome = self.chrome(
            Some(site),
            page_lang,
            path,
            format!("{title} · {}", self.label(e, page_lang)),
            "document",
        );
        chrome.draft = e.is_draft();
        chrome.languages = if home {
            let langs: Vec<&str> = site.langs.iter().map(String::as_str).collect();
            site.lang_links(&langs, page_lang, |l| localized(&format!("{id}/index.html"), l))
        } else {
            let langs: Vec<&str> = e.files.iter().map(|f| f.lang.as_str()).collect();
            site.lang_links(&langs, page_lang, |l| version_path(id, &e.label, l))
        };
        let t = &chrome.t;
        let shift = html::level_shift(&file.doc, 2);
        let stale: BTreeSet<&str> = e
            .stale
            .get(&file.lang)
            .map(|v| v.iter().map(|s| s.id.as_str()).collect())
            .unwrap_or_default();
        let toc: Vec<TocEntry> = file
            .doc
            .sections
            .iter()
            .skip(1)
            .map(|s| TocEntry {
                id: format!("{}{}", html::SECTION_ID_PREFIX, s.id),
                heading: s.heading.clone(),
                depth: (s.level as i8 + shift - 1).clamp(1, 5) as u8,
                stale: stale.contains(s.id.as_str()),
            })
            .collect();
        let source_name = self.lang_name(t, &site.config.source_language);
        let mut body = html::render(&file.doc, shift);
        if !stale.is_empty() {
            let note = t["stale_section"].replace("{source}", &source_name);
            let source_url = format!("{}{}", chrome.root, version_path(id, &e.label, None));
            body = mark_stale(&body, &stale, &note, &t["read_binding_text"], &source_url);
        }
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
        // Links to other versions stay in the page's language when that version has it.
        let current = site
            .current
            .filter(|&c| c != i)
            .map(|c| Link::new(&site.editions[c].label, site.version_url(c, page_lang)));
        let upcoming: Vec<Upcoming> = if site.current == Some(i) {
            site.upcoming(as_of)
                .into_iter()
                .map(|u| Upcoming {
                    label: site.editions[u].label.clone(),
                    effective: site.editions[u]
                        .effective
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    url: site.version_url(u, page_lang),
                    compare_url: Some(site.compare_url(i, u, page_lang)),
                })
                .collect()
        } else {
            Vec::new()
        };
        let previous = site
            .previous(i, as_of)
            .filter(|&a| a != i)
            .map(|a| Link::new(&site.editions[a].label, site.compare_url(a, i, page_lang)));
        // "What changed since this version": for every release but the latest.
        let changes_since = (!e.is_draft() && site.latest() != Some(i))
            .then(|| changes_since_path(id, &e.label, site.tag(page_lang)));
        let translation = (file.lang != site.config.source_language).then(|| TranslationInfo {
            stale: e.is_stale(&file.lang),
            stale_sections: stale.len(),
            ids_differ: e.ids_differ.contains(&file.lang),
            source_url: version_path(id, &e.label, None),
        });
        let info = self.edition_info(site, i, page_lang);
        let doc_title = title.clone();
        let source_name = self.lang_name(t, &translation_of);
        self.render(
            "document.html",
            &[
                ("chrome", &chrome),
                ("title", &doc_title),
                ("edition", &info),
                ("is_home", &home),
                ("reference_translation", &reference),
                ("translation_of", &source_name),
                ("translation", &translation),
                ("text_lang", &(file.lang != page_lang).then_some(&file.lang)),
                ("toc", &toc),
                ("body", &body),
                ("downloads", &downloads),
                ("current", &current),
                ("upcoming", &upcoming),
                ("previous", &previous),
                ("changes_since", &changes_since),
                ("page_lang_name", &self.lang_name(t, page_lang)),
            ],
        )
    }
}

/// What a translation's page says about its state.
#[derive(Serialize)]
struct TranslationInfo {
    /// It lags behind the source text (stale sections, or other section ids).
    stale: bool,
    /// How many of its sections are stale.
    stale_sections: usize,
    /// Its section ids differ from the source's.
    ids_differ: bool,
    /// The source text of the same version.
    source_url: String,
}

/// `body` (rendered policy HTML) with a note after the heading of each section in `stale`: the
/// note, and a link to the section in the binding text at `source_url`.
fn mark_stale(
    body: &str,
    stale: &BTreeSet<&str>,
    note: &str,
    link: &str,
    source_url: &str,
) -> String {
    let mut out = String::with_capacity(body.len() + stale.len() * 200);
    let mut rest = body;
    while let Some(at) = rest.find("<h") {
        let (before, tag) = rest.split_at(at);
        out.push_str(before);
        let open_end = tag.find('>').map_or(tag.len(), |e| e + 1);
        let id = tag[..open_end]
            .split_once(" id=\"")
            .and_then(|(_, r)| r.split_once('"'))
            .map(|(id, _)| id)
            .filter(|id| {
                // Headings carry their section's id after the prefix (`s-device-permissions`).
                id.strip_prefix(html::SECTION_ID_PREFIX).is_some_and(|s| stale.contains(s))
                    && tag.as_bytes().get(2).is_some_and(u8::is_ascii_digit)
            });
        let Some(id) = id else {
            out.push_str(&tag[..2]);
            rest = &tag[2..];
            continue;
        };
        let level = &tag[2..3];
        let close = format!("</h{level}>");
        let end = tag.find(&close).map_or(tag.len(), |e| e + close.len());
        out.push_str(&tag[..end]);
        out.push_str(&format!(
            "\n<p class=\"stale-note\" role=\"note\">{} <a href=\"{}#{}\">{}</a></p>",
            templates::escape(note),
            templates::escape(source_url),
            templates::escape(id),
            templates::escape(link),
        ));
        rest = &tag[end..];
    }
    out.push_str(rest);
    out
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
#[derive(Clone, Serialize)]
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
            // Per language: home, history, comparisons, as-of, feed, the redlines and the
            // "changes since" pages (an upper bound: some translations lack a version).
            let per_lang = 5 + p.len() + s.released().count();
            (per_lang * s.langs.len() + s.editions.iter().map(|e| e.files.len()).sum::<usize>())
                as u64
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
    let src = site.config.source_language.as_str();
    // Home in every language: the version in force.
    for lang in &site.langs {
        let home = localized(&format!("{id}/index.html"), site.tag(lang));
        let html = match site.current {
            Some(c) => {
                let k = site.editions[c].file(lang).unwrap_or(0);
                ctx.document_page(site, c, k, lang, &home, true)?
            }
            None => no_version_page(ctx, site, lang, &home)?,
        };
        w.page(&home, html, progress)?;
    }
    // Every version, every language, and its raw sources (rendered in parallel, written in order).
    let jobs: Vec<(usize, usize)> = site
        .editions
        .iter()
        .enumerate()
        .flat_map(|(i, e)| (0..e.files.len()).map(move |k| (i, k)))
        .collect();
    let pages = parallel_map(&jobs, |&(i, k)| {
        let e = &site.editions[i];
        let lang = e.files[k].lang.as_str();
        let path = version_path(id, &e.label, site.tag(lang));
        ctx.document_page(site, i, k, lang, &path, false).map(|html| (path, html))
    });
    for (&(i, k), page) in jobs.iter().zip(pages) {
        let (path, html) = page?;
        w.page(&path, html, progress)?;
        let e = &site.editions[i];
        w.write(&format!("{id}/{}/{}", e.label, e.files[k].file), &e.files[k].bytes)?;
    }
    w.summary.versions += site.editions.len();
    // Redlines: the pages' pairs and every release to the latest ("changes since"); each
    // distinct pair of source texts is compared once (in parallel).
    let since: Vec<(usize, usize)> = match site.latest() {
        Some(l) => site.released().map(|(i, _)| (i, l)).collect(),
        None => Vec::new(),
    };
    let wanted: Vec<(usize, usize)> =
        pairs.iter().chain(&since).copied().collect::<BTreeSet<_>>().into_iter().collect();
    let mut keys: Vec<(usize, usize)> = Vec::new();
    let mut index_of: HashMap<(usize, usize), usize> = HashMap::new();
    let mut first_pair: Vec<(usize, usize)> = Vec::new();
    for &(a, b) in &wanted {
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
    let source_outcome =
        |a: usize, b: usize| &outcomes[index_of[&(site.editions[a].canon, site.editions[b].canon)]];
    // The translations' redlines: their own text, the source's findings.
    let tr_jobs: Vec<(usize, usize, &str)> = wanted
        .iter()
        .flat_map(|&(a, b)| {
            site.langs[1..]
                .iter()
                .filter(move |l| site.both_have(a, b, l))
                .map(move |l| (a, b, l.as_str()))
        })
        .collect();
    let translated = parallel_map(&tr_jobs, |&(a, b, lang)| {
        translated_outcome(site, a, b, lang, source_outcome(a, b))
    });
    let tr_index: HashMap<(usize, usize, &str), usize> =
        tr_jobs.iter().enumerate().map(|(n, &job)| (job, n)).collect();
    let outcome_of = |a: usize, b: usize, lang: &str| match tr_index.get(&(a, b, lang)) {
        Some(&n) => &translated[n],
        None => source_outcome(a, b),
    };
    let mut page_jobs: Vec<(usize, usize, &str, bool)> = Vec::new();
    for &(a, b) in pairs.iter() {
        for lang in site.langs.iter().filter(|l| *l == src || site.both_have(a, b, l)) {
            page_jobs.push((a, b, lang, false));
        }
    }
    for &(a, b) in &since {
        for lang in site.langs.iter().filter(|l| *l == src || site.both_have(a, b, l)) {
            page_jobs.push((a, b, lang, true));
        }
    }
    let pages = parallel_map(&page_jobs, |&(a, b, lang, is_since)| {
        let tag = site.tag(lang);
        let path = if is_since {
            changes_since_path(id, &site.editions[a].label, tag)
        } else {
            localized(&compare_path(id, &site.editions[a].label, &site.editions[b].label), tag)
        };
        compare_page(ctx, site, a, b, lang, outcome_of(a, b, lang), &path, is_since)
            .map(|html| (path, html))
    });
    for (page, &(_, _, lang, is_since)) in pages.into_iter().zip(&page_jobs) {
        let (path, html) = page?;
        w.page(&path, html, progress)?;
        if !is_since && lang == src {
            w.summary.comparisons += 1;
        }
    }
    for lang in &site.langs {
        let tag = site.tag(lang);
        let path = localized(&format!("{id}/history/index.html"), tag);
        let html = history_page(ctx, site, lang, &path)?;
        w.page(&path, html, progress)?;
        let path = localized(&format!("{id}/compare/index.html"), tag);
        let html = comparisons_page(ctx, site, pairs, lang, &path)?;
        w.page(&path, html, progress)?;
        let path = localized(&format!("{id}/as-of/index.html"), tag);
        let html = as_of_page(ctx, site, lang, &path)?;
        w.page(&path, html, progress)?;
        let path = feed_path(id, tag);
        let xml = feed(ctx, site, lang)?;
        w.page(&path, xml, progress)?;
    }
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

/// The redline `a` → `b` of the translation `lang` (both editions have it): the translation's
/// own changes with the level and findings of `source`, the source texts' outcome.
fn translated_outcome(
    site: &DocSite<'_>,
    a: usize,
    b: usize,
    lang: &str,
    source: &Outcome,
) -> Outcome {
    match source {
        Outcome::Redline { view } => {
            let (ea, eb) = (&site.editions[a], &site.editions[b]);
            let (Some(ka), Some(kb)) = (ea.file(lang), eb.file(lang)) else {
                return source.clone();
            };
            let (old, new) = (&ea.files[ka].doc, &eb.files[kb].doc);
            let shift = html::level_shift(new, 3);
            Outcome::Redline { view: Box::new(redline::translated_view(view, old, new, shift)) }
        }
        Outcome::LanguageSwitch { .. } => source.clone(),
    }
}

/// The redline page `a` → `b` in `lang` at `path`: a pair's own page, or (`since`) the stable
/// "changes since version `a`" page, whose `b` is the latest release.
#[allow(clippy::too_many_arguments)]
fn compare_page(
    ctx: &Ctx<'_>,
    site: &DocSite<'_>,
    a: usize,
    b: usize,
    lang: &str,
    outcome: &Outcome,
    path: &str,
    since: bool,
) -> Result<String> {
    let id = &site.config.id;
    let (ea, eb) = (&site.editions[a], &site.editions[b]);
    let src = &site.config.source_language;
    let title = site.title(&eb.files[eb.file(lang).unwrap_or(0)]);
    let mut chrome = ctx.chrome(
        Some(site),
        lang,
        path,
        format!("{title} · {} → {}", ea.label, ctx.label(eb, lang)),
        "compare",
    );
    chrome.draft = eb.is_draft();
    let langs: Vec<&str> =
        site.langs.iter().filter(|l| site.both_have(a, b, l)).map(String::as_str).collect();
    chrome.languages = site.lang_links(&langs, lang, |l| {
        if since {
            changes_since_path(id, &ea.label, l)
        } else {
            localized(&compare_path(id, &ea.label, &eb.label), l)
        }
    });
    let t = &chrome.t;
    let names = match outcome {
        Outcome::LanguageSwitch { from, to } => {
            Some((ctx.lang_name(t, from), ctx.lang_name(t, to)))
        }
        Outcome::Redline { .. } => None,
    };
    let shown = match outcome {
        Outcome::Redline { view } => {
            Outcome::Redline { view: Box::new(redline::for_page(view, lang, ctx.opts.audit)) }
        }
        other => other.clone(),
    };
    // A translation's page names the binding text and links its redline.
    let source_page = (lang != src.as_str()).then(|| {
        let url = if since {
            changes_since_path(id, &ea.label, None)
        } else {
            compare_path(id, &ea.label, &eb.label)
        };
        (ctx.lang_name(t, src), url, ctx.lang_name(t, lang))
    });
    ctx.render(
        "compare.html",
        &[
            ("chrome", &chrome),
            ("title", &title),
            ("from", &ctx.edition_info(site, a, lang)),
            ("to", &ctx.edition_info(site, b, lang)),
            ("outcome", &shown),
            ("language_names", &names),
            ("source_page", &source_page),
            ("since", &since),
            ("annotations", &meta::annotation_views(&eb.annotations, lang, src)),
        ],
    )
}

/// The document's home in `lang` while no released version is in force (none released, or all
/// upcoming).
fn no_version_page(ctx: &Ctx<'_>, site: &DocSite<'_>, lang: &str, path: &str) -> Result<String> {
    let id = &site.config.id;
    let (title, _) = site.display_title_in(lang);
    let mut chrome = ctx.chrome(Some(site), lang, path, title.clone(), "document");
    let langs: Vec<&str> = site.langs.iter().map(String::as_str).collect();
    chrome.languages = site.lang_links(&langs, lang, |l| localized(&format!("{id}/index.html"), l));
    let upcoming: Vec<Upcoming> = site
        .upcoming(ctx.opts.as_of)
        .into_iter()
        .map(|u| Upcoming {
            label: site.editions[u].label.clone(),
            effective: site.editions[u].effective.map(|d| d.to_string()).unwrap_or_default(),
            url: site.version_url(u, lang),
            compare_url: None,
        })
        .collect();
    let draft = site.editions.iter().position(|e| e.is_draft()).map(|d| site.version_url(d, lang));
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

fn history_rows(site: &DocSite<'_>, ctx: &Ctx<'_>, lang: &str) -> Vec<HistoryRow> {
    let mut rows: Vec<HistoryRow> = site
        .editions
        .iter()
        .enumerate()
        .map(|(i, _)| {
            let info = ctx.edition_info(site, i, lang);
            let prev = site.previous(i, ctx.opts.as_of).filter(|&a| a != i);
            HistoryRow {
                summary: info.summary.first().cloned().unwrap_or_default(),
                more: info.summary.len().saturating_sub(1),
                compare_url: prev.map(|a| site.compare_url(a, i, lang)),
                previous: prev.map(|a| site.editions[a].label.clone()),
                info,
            }
        })
        .collect();
    rows.reverse();
    rows
}

/// The chrome of a list page of `site` in `lang` (history, comparisons, as-of), whose path in
/// each language `page(tag)` gives.
fn list_chrome(
    ctx: &Ctx<'_>,
    site: &DocSite<'_>,
    lang: &str,
    path: &str,
    key: &str,
    kind: &'static str,
    page: impl Fn(Option<&str>) -> String,
) -> (String, Chrome) {
    let (title, _) = site.display_title_in(lang);
    let mut chrome = ctx.chrome(
        Some(site),
        lang,
        path,
        format!("{title} · {}", ctx.templates.strings(lang)[key]),
        kind,
    );
    let langs: Vec<&str> = site.langs.iter().map(String::as_str).collect();
    chrome.languages = site.lang_links(&langs, lang, page);
    (title, chrome)
}

fn history_page(ctx: &Ctx<'_>, site: &DocSite<'_>, lang: &str, path: &str) -> Result<String> {
    let id = &site.config.id;
    let (title, chrome) = list_chrome(ctx, site, lang, path, "history", "history", |l| {
        localized(&format!("{id}/history/index.html"), l)
    });
    let rows = history_rows(site, ctx, lang);
    ctx.render("history.html", &[("chrome", &chrome), ("title", &title), ("rows", &rows)])
}

#[derive(Serialize)]
struct ComparisonLink {
    from: String,
    to: String,
    /// The later version is the draft.
    to_draft: bool,
    url: String,
    /// The stable "changes since `from`" address, for comparisons to the latest release.
    since_url: Option<String>,
}

/// The document's comparisons in `lang`: consecutive versions, each version to the version in
/// force, each version to the latest (with its stable "changes since" address).
fn comparisons_page(
    ctx: &Ctx<'_>,
    site: &DocSite<'_>,
    pairs: &[(usize, usize)],
    lang: &str,
    path: &str,
) -> Result<String> {
    let id = &site.config.id;
    let (title, chrome) = list_chrome(ctx, site, lang, path, "comparisons", "comparisons", |l| {
        localized(&format!("{id}/compare/index.html"), l)
    });
    let link = |a: usize, b: usize| {
        let (ea, eb) = (&site.editions[a], &site.editions[b]);
        let to_latest = site.latest() == Some(b);
        ComparisonLink {
            from: ea.label.clone(),
            to: eb.label.clone(),
            to_draft: eb.is_draft(),
            url: site.compare_url(a, b, lang),
            since_url: to_latest.then(|| changes_since_path(id, &ea.label, site.tag(lang))),
        }
    };
    let released: Vec<usize> = site.released().map(|(i, _)| i).collect();
    let mut consecutive: Vec<ComparisonLink> =
        released.windows(2).map(|w| link(w[0], w[1])).collect();
    if let (Some(&l), Some(d)) = (released.last(), site.editions.iter().position(Edition::is_draft))
        && pairs.contains(&(l, d))
    {
        consecutive.push(link(l, d));
    }
    consecutive.reverse();
    let to = |target: Option<usize>| -> Vec<ComparisonLink> {
        let Some(t) = target else { return Vec::new() };
        let mut out: Vec<ComparisonLink> =
            released.iter().filter(|&&i| i < t).map(|&i| link(i, t)).collect();
        out.reverse();
        out
    };
    let current = site.current.map(|c| site.editions[c].label.clone());
    let latest = site.latest().map(|l| site.editions[l].label.clone());
    ctx.render(
        "comparisons.html",
        &[
            ("chrome", &chrome),
            ("title", &title),
            ("consecutive", &consecutive),
            ("current", &current),
            ("to_current", &to(site.current)),
            ("latest", &latest),
            // The latest is the version in force: one list says it all.
            (
                "to_latest",
                &if site.latest() == site.current { Vec::new() } else { to(site.latest()) },
            ),
        ],
    )
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
fn periods(ctx: &Ctx<'_>, site: &DocSite<'_>, lang: &str) -> Vec<Period> {
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
            url: site.version_url(i, lang),
            from: from.to_string(),
            until,
            status,
        });
    }
    out.reverse();
    out
}

fn as_of_page(ctx: &Ctx<'_>, site: &DocSite<'_>, lang: &str, path: &str) -> Result<String> {
    let id = &site.config.id;
    let (title, chrome) = list_chrome(ctx, site, lang, path, "as_of", "as-of", |l| {
        localized(&format!("{id}/as-of/index.html"), l)
    });
    let periods = periods(ctx, site, lang);
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
    /// The language of the page `link` leads to (the source's when the version lacks the feed's).
    link_lang: String,
    updated: String,
    effective: String,
    level: String,
    summary: Vec<String>,
    compare_link: Option<String>,
    /// The language of the redline page `compare_link` leads to.
    compare_lang: String,
    /// The people's note in the feed's language (the machine summary follows it).
    note: Option<meta::NoteView>,
}

/// The Atom feed of `site` in `lang`: its entries link the pages in that language.
fn feed(ctx: &Ctx<'_>, site: &DocSite<'_>, lang: &str) -> Result<String> {
    let id = &site.config.id;
    let tag = site.tag(lang);
    let t = ctx.templates.strings(lang);
    let base = ctx.opts.base_url.as_deref().map(|b| format!("{}/", b.trim_end_matches('/')));
    // Without --base-url, links are relative to the feed (every feed sits in <doc>/).
    let link = |path: &str| match &base {
        Some(b) => format!("{b}{}", pretty(path)),
        None => pretty(path).strip_prefix(&format!("{id}/")).unwrap_or(pretty(path)).to_string(),
    };
    // Globally unique, stable ids: tag URIs under the site's host, dated by the first release;
    // a translation's feed and entries end in its language tag (`privacy/1.0.0/en`).
    let tag_date = site
        .released()
        .next()
        .and_then(|(_, e)| e.record.as_ref())
        .and_then(|r| r.released_at.get(..10))
        .and_then(|d| d.parse::<Date>().ok());
    let feed_id = |specific: &str| {
        let specific = match tag {
            None => specific.to_string(),
            Some(l) => format!("{specific}/{l}"),
        };
        match (ctx.opts.base_url.as_deref(), tag_date) {
            (Some(b), Some(d)) => meta::tag_uri(b, d, &specific),
            _ => None,
        }
        .unwrap_or_else(|| format!("urn:redline:{}", specific.replace('/', ":")))
    };
    let src = site.config.source_language.as_str();
    let mut entries = Vec::new();
    for (i, e) in site.released() {
        let record = e.record.as_ref();
        let previous = site.previous(i, ctx.opts.as_of).filter(|&a| a != i);
        entries.push(FeedEntry {
            note: meta::note_views(&e.notes, &site.config.languages()).remove(lang),
            label: e.label.clone(),
            id: feed_id(&format!("{id}/{}", e.label)),
            link: link(&site.version_url(i, lang)),
            link_lang: if e.file(lang).is_some() { lang } else { src }.to_string(),
            updated: record.map(|r| r.released_at.clone()).unwrap_or_default(),
            effective: e.effective.map(|d| d.to_string()).unwrap_or_default(),
            level: record.map(|r| r.level.clone()).unwrap_or_default(),
            summary: record.map(|r| r.summary.clone()).unwrap_or_default(),
            compare_link: previous.map(|a| link(&site.compare_url(a, i, lang))),
            compare_lang: match previous {
                Some(a) if site.both_have(a, i, lang) => lang,
                _ => src,
            }
            .to_string(),
        });
    }
    entries.reverse();
    let updated = entries
        .iter()
        .map(|e| e.updated.clone())
        .max()
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let (title, _) = site.display_title_in(lang);
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
            ("lang", &lang),
            ("title", &title),
            ("feed_id", &feed_id(id)),
            ("self_link", &base.as_ref().map(|b| format!("{b}{}", feed_path(id, tag)))),
            ("home_link", &link(&localized(&format!("{id}/index.html"), tag))),
            // The document's home in each other language, for a reader who prefers it.
            (
                "other_homes",
                &site
                    .langs
                    .iter()
                    .filter(|l| l.as_str() != lang)
                    .map(|l| {
                        let home = localized(&format!("{id}/index.html"), site.tag(l));
                        (l.clone(), link(&home))
                    })
                    .collect::<Vec<_>>(),
            ),
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
    /// The document's home in each of its languages.
    languages: Vec<LangLink>,
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
        .map(|s| {
            let src = s.config.source_language.as_str();
            let langs: Vec<&str> = s.langs.iter().map(String::as_str).collect();
            IndexDoc {
                id: s.config.id.clone(),
                title: s.display_title(),
                lang: src.to_string(),
                url: format!("{}/index.html", s.config.id),
                current: s.current.map(|c| ctx.edition_info(s, c, src)),
                upcoming: s
                    .upcoming(ctx.opts.as_of)
                    .into_iter()
                    .map(|u| ctx.edition_info(s, u, src))
                    .collect(),
                versions: s.released().count(),
                history_url: format!("{}/history/index.html", s.config.id),
                feed_url: format!("{}/feed.xml", s.config.id),
                languages: s.lang_links(&langs, src, |l| {
                    localized(&format!("{}/index.html", s.config.id), l)
                }),
            }
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
