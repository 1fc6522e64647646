//! The policy repository: `policy/policy.toml` (documents, languages, time zone, notice days),
//! found by walking up from a directory, and the paths of its sources, criteria and archive.

use crate::error::{Error, Result};
use crate::rules::Criteria;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The configuration schema this crate reads.
pub const POLICY_SCHEMA: &str = "redline.policy/1";

/// `policy/policy.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyConfig {
    /// `redline.policy/1` (optional).
    #[serde(default)]
    pub schema: Option<String>,
    /// IANA time zone of effective dates (`Asia/Shanghai`); `UTC` when unset.
    #[serde(default = "default_timezone")]
    pub timezone: String,
    /// Days between release and effective date for major and re-consent releases (default 7).
    /// At most [`MAX_NOTICE_DAYS`].
    #[serde(default = "default_notice_days", deserialize_with = "notice_days")]
    pub notice_days: u32,
    /// The criteria file, relative to `policy/` (default `criteria.toml`; the built-in profile
    /// when that file does not exist).
    #[serde(default)]
    pub criteria: Option<String>,
    /// The documents, in order; the first is the default for `--document`.
    #[serde(default, rename = "documents")]
    pub documents: Vec<DocumentConfig>,
    /// The site's public address (`https://example.com/policy/`): what `build --base-url`
    /// gives, which takes precedence. A published build needs one of the two.
    #[serde(default)]
    pub base_url: Option<String>,
    /// `[site]`: the publisher's branding of the site.
    #[serde(default)]
    pub site: SiteConfig,
}

/// `[site]` in `policy/policy.toml`: who publishes the site. Every value is optional and checked
/// when the file is read (a bad one is an error naming its line).
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The organisation's name, shown in every page's header instead of the generic title (at
    /// most 80 characters of plain text).
    #[serde(default)]
    pub name: Option<String>,
    /// The logo: an `https://` address, or a PNG, SVG, JPEG, GIF or WebP file in the repository
    /// (a path relative to its root, e.g. `policy/logo.svg`) that `build` copies to the site.
    #[serde(default)]
    pub logo: Option<String>,
    /// The organisation's home page (`https://…`), linked from the header.
    #[serde(default)]
    pub home: Option<String>,
    /// A footer line of plain text (at most 500 characters), e.g. the company and its address.
    #[serde(default)]
    pub footer: Option<String>,
}

/// Whether `url` is an absolute `http://` or `https://` address with a host and no spaces or
/// control characters.
pub fn is_web_address(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")) else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    !host.is_empty() && !url.chars().any(|c| c.is_whitespace() || c.is_control() || c == '"')
}

fn default_timezone() -> String {
    "UTC".to_string()
}

fn default_notice_days() -> u32 {
    7
}

/// The longest notice period `policy.toml` may ask for, in days (ten years): longer is a typo,
/// and the date arithmetic has to stay inside the calendar (up to 9999-12-31).
pub const MAX_NOTICE_DAYS: u32 = 3650;

/// `notice_days`, refused outside `0..=MAX_NOTICE_DAYS` (the TOML error then names the line).
fn notice_days<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<u32, D::Error> {
    let n = <i64 as serde::Deserialize>::deserialize(d)?;
    u32::try_from(n).ok().filter(|n| *n <= MAX_NOTICE_DAYS).ok_or_else(|| {
        serde::de::Error::custom(format!(
            "notice_days = {n} is out of range: give a number of days from 0 to {MAX_NOTICE_DAYS} (ten years)"
        ))
    })
}

/// One document of the policy set.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentConfig {
    /// Stable id (`privacy`); also the file stem and the archive folder name.
    pub id: String,
    /// Display title.
    #[serde(default)]
    pub title: Option<String>,
    /// The language the document is written in (`zh-CN`).
    pub source_language: String,
    /// Translations (`["en"]`), released together with the source.
    #[serde(default)]
    pub translations: Vec<String>,
    /// File extension of the sources (default `md`).
    #[serde(default)]
    pub extension: Option<String>,
    /// Ids of documents this one links to (an SDK list, children's rules): their changes are
    /// reported with this document's.
    #[serde(default)]
    pub links: Vec<String>,
    /// What `redline lint` checks in this document beyond its structure.
    #[serde(default)]
    pub lint: LintConfig,
}

/// The PIPL art. 17 disclosures `lint` looks for (through `redline map`).
pub const DISCLOSURES: [&str; 8] = [
    "controller",
    "contact",
    "purposes",
    "methods",
    "data_categories",
    "retention",
    "rights",
    "updates",
];

/// The promises of an update section that `lint` looks for (GB/T 35273 Annex D; the first
/// user's 十一).
pub const UPDATE_PROMISES: [&str; 3] = ["archive", "notice", "no_reduction"];

/// `[documents.lint]` in `policy/policy.toml`: the content checks of one document. Structure
/// problems are always errors; the content checks below are warnings unless listed in
/// `required`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintConfig {
    /// The PIPL art. 17 disclosures to look for (default: all of [`DISCLOSURES`]; `[]` for a
    /// document that is not a privacy notice, such as an SDK list or terms of service).
    #[serde(default)]
    pub disclosures: Option<Vec<String>>,
    /// Whether sensitive personal information must be highlighted (bold or italics) where a
    /// practice clause names it (GB/T 35273 5.5; default: when any disclosure is checked).
    #[serde(default)]
    pub highlight_sensitive: Option<bool>,
    /// The promises the update section must keep (default: all of [`UPDATE_PROMISES`] when the
    /// `updates` disclosure is checked).
    #[serde(default)]
    pub update_promises: Option<Vec<String>>,
    /// Content checks that are errors rather than warnings: a diagnostic code
    /// (`missing-disclosure`, `translation-stale`, …) or `code:item`
    /// (`missing-disclosure:retention`, `update-promise-missing:archive`).
    #[serde(default)]
    pub required: Vec<String>,
}

impl LintConfig {
    /// The disclosures to check.
    pub fn disclosures(&self) -> Vec<String> {
        match &self.disclosures {
            Some(list) => list.clone(),
            None => DISCLOSURES.iter().map(|d| d.to_string()).collect(),
        }
    }

    /// Whether sensitive personal information must be highlighted.
    pub fn highlight_sensitive(&self) -> bool {
        self.highlight_sensitive.unwrap_or_else(|| !self.disclosures().is_empty())
    }

    /// The update-section promises to check.
    pub fn update_promises(&self) -> Vec<String> {
        match &self.update_promises {
            Some(list) => list.clone(),
            None if self.disclosures().iter().any(|d| d == "updates") => {
                UPDATE_PROMISES.iter().map(|d| d.to_string()).collect()
            }
            None => Vec::new(),
        }
    }

    /// Whether a content diagnostic `code` (about `item`, if any) is an error.
    pub fn is_required(&self, code: &str, item: Option<&str>) -> bool {
        self.required
            .iter()
            .any(|r| r == code || item.is_some_and(|i| r.split_once(':') == Some((code, i))))
    }
}

impl DocumentConfig {
    /// Every language, the source first.
    pub fn languages(&self) -> Vec<&str> {
        std::iter::once(self.source_language.as_str())
            .chain(self.translations.iter().map(String::as_str))
            .collect()
    }

    /// The source file name for `lang` (`privacy.zh-CN.md`).
    pub fn file_name(&self, lang: &str) -> String {
        format!("{}.{lang}.{}", self.id, self.extension.as_deref().unwrap_or("md"))
    }

    /// The display title: `title`, else the id.
    pub fn display_title(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.id)
    }
}

/// A policy repository: the folder holding `policy/policy.toml`.
#[derive(Debug, Clone)]
pub struct PolicyRepo {
    /// The repository root (the parent of `policy/`).
    pub root: PathBuf,
    /// The parsed `policy/policy.toml`.
    pub config: PolicyConfig,
    /// The text of `policy/policy.toml`, to name the line of a value found wrong later.
    text: String,
}

/// The label of the configuration file in messages.
const POLICY_TOML: &str = "policy/policy.toml";

/// Where the values of `policy/policy.toml` that are checked after parsing stand (byte spans),
/// so an error names their line. Read leniently: the strict parse into [`PolicyConfig`] runs
/// first.
#[derive(Debug, Default, Deserialize)]
struct Spans {
    #[serde(default)]
    timezone: Option<toml::Spanned<String>>,
    #[serde(default)]
    base_url: Option<toml::Spanned<String>>,
    #[serde(default)]
    site: SiteSpans,
    #[serde(default)]
    documents: Vec<DocumentSpans>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SiteSpans {
    name: Option<toml::Spanned<String>>,
    logo: Option<toml::Spanned<String>>,
    home: Option<toml::Spanned<String>>,
    footer: Option<toml::Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DocumentSpans {
    id: Option<toml::Spanned<String>>,
    source_language: Option<toml::Spanned<String>>,
    translations: Vec<toml::Spanned<String>>,
    links: Vec<toml::Spanned<String>>,
    lint: LintSpans,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LintSpans {
    disclosures: Vec<toml::Spanned<String>>,
    update_promises: Vec<toml::Spanned<String>>,
}

impl Spans {
    fn read(text: &str) -> Spans {
        toml::from_str(text).unwrap_or_default()
    }
}

/// An error about the value at byte `span` of `policy/policy.toml` (`text`), naming its line and
/// column; line 1 when the value's place is unknown.
fn config_error(text: &str, span: Option<std::ops::Range<usize>>, message: String) -> Error {
    let (line, column) = span.map_or((1, 1), |s| crate::text::line_col(text, s.start));
    Error::Toml { path: POLICY_TOML.to_string(), line, column, message }
}

/// Whether `tag` is a language tag redline accepts: a BCP 47 language (2–3 letters), an optional
/// script (4 letters), an optional region (2 letters or 3 digits) and optional variants
/// (`en`, `zh-CN`, `zh-Hans-CN`, `es-419`, `de-CH-1996`). Tags name files (`privacy.zh-CN.md`),
/// so nothing else is allowed.
pub fn is_language_tag(tag: &str) -> bool {
    static TAG: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"^[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$",
        )
        .unwrap()
    });
    TAG.is_match(tag)
}

impl PolicyRepo {
    /// Finds `policy/policy.toml` in `start` or one of its ancestors.
    ///
    /// Returns `Ok(None)` when there is none; errors when one exists but is invalid.
    pub fn discover(start: &Path) -> Result<Option<PolicyRepo>> {
        let start = start.canonicalize().unwrap_or_else(|_| start.to_path_buf());
        for dir in start.ancestors() {
            let candidate = dir.join("policy").join("policy.toml");
            // Present in any form: a pipe, a loop or a folder there is an error naming it, not
            // a reason to look further up.
            if crate::fsutil::is_present(&candidate) {
                return PolicyRepo::open(dir).map(Some);
            }
        }
        Ok(None)
    }

    /// Opens the repository rooted at `root`.
    ///
    /// Errors, each naming `policy/policy.toml` and the line: unreadable or invalid TOML, an
    /// unknown or mistyped field, no document listed, a document id or language tag that is not
    /// well-formed ([`is_language_tag`]), a language listed twice, a link to an unknown document,
    /// an unknown disclosure or promise. The time zone is checked by [`PolicyRepo::timezone`].
    pub fn open(root: &Path) -> Result<PolicyRepo> {
        let path = root.join("policy").join("policy.toml");
        let bytes = crate::fsutil::read_regular(&path, &path.display().to_string())?;
        let label = POLICY_TOML;
        let text = crate::text::decode(label, &bytes)?;
        let config: PolicyConfig =
            toml::from_str(&text).map_err(|e| Error::toml(label, &text, &e))?;
        if config.documents.is_empty() {
            return Err(config_error(
                &text,
                None,
                "no [[documents]] listed; add one with id and source_language".to_string(),
            ));
        }
        validate_documents(&text, &config)?;
        validate_site(root, &text, &config)?;
        Ok(PolicyRepo { root: root.to_path_buf(), config, text })
    }

    /// The document with `id`, or the first one when `id` is `None`.
    ///
    /// Errors: no document with that id (the message lists the known ones).
    pub fn document(&self, id: Option<&str>) -> Result<&DocumentConfig> {
        match id {
            None => Ok(&self.config.documents[0]),
            Some(id) => self.config.documents.iter().find(|d| d.id == id).ok_or_else(|| {
                let known: Vec<&str> =
                    self.config.documents.iter().map(|d| d.id.as_str()).collect();
                Error::Refused(format!(
                    "unknown document `{id}`; policy/policy.toml lists {}",
                    known.join(", ")
                ))
            }),
        }
    }

    /// The documents, in `policy.toml` order.
    pub fn documents(&self) -> &[DocumentConfig] {
        &self.config.documents
    }

    /// The documents a command works on: every one with `all`, else the one named `id` (or
    /// the first when `id` is `None`).
    ///
    /// Errors: an unknown id (the message lists the known ones).
    pub fn select(&self, id: Option<&str>, all: bool) -> Result<Vec<&DocumentConfig>> {
        if all {
            return Ok(self.config.documents.iter().collect());
        }
        Ok(vec![self.document(id)?])
    }

    /// The documents `doc` links to (`links`), in the order listed.
    pub fn linked(&self, doc: &DocumentConfig) -> Vec<&DocumentConfig> {
        doc.links
            .iter()
            .filter_map(|id| self.config.documents.iter().find(|d| &d.id == id))
            .collect()
    }

    /// The documents that link to `doc`.
    pub fn linking(&self, doc: &DocumentConfig) -> Vec<&DocumentConfig> {
        self.config.documents.iter().filter(|d| d.links.iter().any(|l| l == &doc.id)).collect()
    }

    /// Every source file of `doc`: `(language, repository-relative path)`, the source language
    /// first.
    pub fn sources(&self, doc: &DocumentConfig) -> Vec<(String, String)> {
        doc.languages().into_iter().map(|l| (l.to_string(), self.source_rel(doc, l))).collect()
    }

    /// The document and language a file name under `policy/` belongs to
    /// (`privacy.en.md` → (`privacy`, `en`)).
    pub fn document_of_file(&self, file_name: &str) -> Option<(&DocumentConfig, String)> {
        self.config.documents.iter().find_map(|d| {
            d.languages()
                .into_iter()
                .find(|l| d.file_name(l) == file_name)
                .map(|l| (d, l.to_string()))
        })
    }

    /// Repository-relative path of a document's source in `lang` (`policy/privacy.zh-CN.md`).
    pub fn source_rel(&self, doc: &DocumentConfig, lang: &str) -> String {
        format!("policy/{}", doc.file_name(lang))
    }

    /// The criteria: the configured file, `policy/criteria.toml` when present, else built-in.
    ///
    /// Errors: the file is not a regular file of at most 64 MiB, not UTF-8, or not valid
    /// criteria (naming the file and line).
    pub fn criteria(&self) -> Result<Criteria> {
        match self.criteria_file()? {
            Some((label, text)) => Criteria::from_str(&label, &text),
            None => Ok(Criteria::builtin()),
        }
    }

    /// The criteria's layers as [`Criteria::from_layers`] compiles them, each `(label, text)`:
    /// the built-in profile (`builtin`) when the repository's file extends it or there is no
    /// file, then the repository's file (`policy/criteria.toml`) with its decoded text. A release
    /// stores them ([`crate::archive::CriteriaLayers`]).
    ///
    /// Errors: as [`PolicyRepo::criteria`] reading the file.
    pub fn criteria_layers(&self) -> Result<Vec<(String, String)>> {
        let builtin = || ("builtin".to_string(), crate::rules::BUILTIN_CRITERIA.to_string());
        Ok(match self.criteria_file()? {
            None => vec![builtin()],
            Some((label, text)) => {
                let extends = toml::from_str::<toml::Table>(&text)
                    .ok()
                    .and_then(|t| t.get("extends").and_then(|v| v.as_str().map(str::to_string)));
                if extends.as_deref() == Some("builtin") {
                    vec![builtin(), (label, text)]
                } else {
                    vec![(label, text)]
                }
            }
        })
    }

    /// The repository's criteria file, `(label, decoded text)`: the configured one, else
    /// `policy/criteria.toml` when present; `None` for the built-in profile.
    fn criteria_file(&self) -> Result<Option<(String, String)>> {
        let rel = self.config.criteria.as_deref().unwrap_or("criteria.toml");
        let path = self.root.join("policy").join(rel);
        if !crate::fsutil::is_present(&path) && self.config.criteria.is_none() {
            return Ok(None);
        }
        let bytes = crate::fsutil::read_regular(&path, &path.display().to_string())?;
        let label = format!("policy/{rel}");
        let text = crate::text::decode(&label, &bytes)?;
        Ok(Some((label, text)))
    }

    /// The archive folder (`archive/`).
    pub fn archive_dir(&self) -> PathBuf {
        self.root.join("archive")
    }

    /// The policy's time zone (looked up on first use: commands that never need a date, such as
    /// `diff` and `check`, do not pay for loading the time-zone database).
    ///
    /// Errors: `timezone` in policy/policy.toml is not an IANA time-zone name (naming its line).
    pub fn timezone(&self) -> Result<jiff::tz::TimeZone> {
        jiff::tz::TimeZone::get(&self.config.timezone).map_err(|_| {
            let span = Spans::read(&self.text).timezone.map(|t| t.span());
            config_error(
                &self.text,
                span,
                format!(
                    "unknown time zone `{}`; use an IANA name such as Asia/Shanghai",
                    self.config.timezone
                ),
            )
        })
    }
}

/// Checks that document ids are unique and well-formed, that languages are well-formed language
/// tags listed once per document, and that `links` name other documents; errors name the line.
/// Checks `base_url` and `[site]`: web addresses that are absolute `http(s)://` addresses, a
/// logo that is one or an image file inside the repository, a name and footer of plain text of
/// bounded length.
fn validate_site(root: &Path, text: &str, config: &PolicyConfig) -> Result<()> {
    let spans = Spans::read(text);
    let at = |span: &Option<toml::Spanned<String>>, message: String| {
        config_error(text, span.as_ref().map(|v| v.span()), message)
    };
    if let Some(url) = &config.base_url
        && !is_web_address(url)
    {
        return Err(at(
            &spans.base_url,
            format!(
                "base_url `{url}` is not an http(s) address; give the site's public address, e.g. https://example.com/policy/"
            ),
        ));
    }
    let site = &config.site;
    let s = &spans.site;
    let plain = |value: &str, max: usize| {
        !value.trim().is_empty()
            && value.chars().count() <= max
            && !value.chars().any(char::is_control)
    };
    if let Some(name) = &site.name
        && !plain(name, 80)
    {
        return Err(at(
            &s.name,
            "[site] name must be one line of plain text, 1 to 80 characters".to_string(),
        ));
    }
    if let Some(footer) = &site.footer
        && !plain(footer, 500)
    {
        return Err(at(
            &s.footer,
            "[site] footer must be one line of plain text, 1 to 500 characters".to_string(),
        ));
    }
    if let Some(home) = &site.home
        && !is_web_address(home)
    {
        return Err(at(
            &s.home,
            format!("[site] home `{home}` is not an http(s) address (e.g. https://example.com/)"),
        ));
    }
    if let Some(logo) = &site.logo
        && !is_web_address(logo)
    {
        let image = [".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp"]
            .iter()
            .any(|e| logo.to_ascii_lowercase().ends_with(e));
        let inside = !logo.starts_with('/')
            && !logo.contains('\\')
            && logo.split('/').all(|p| !p.is_empty() && p != ".." && p != ".");
        if !image || !inside {
            return Err(at(
                &s.logo,
                format!(
                    "[site] logo `{logo}` is neither an http(s) address nor a PNG, SVG, JPEG, GIF or WebP file inside the repository (e.g. policy/logo.svg)"
                ),
            ));
        }
        if !root.join(logo).is_file() {
            return Err(at(
                &s.logo,
                format!("[site] logo `{logo}`: no such file in the repository"),
            ));
        }
    }
    Ok(())
}

fn validate_documents(text: &str, config: &PolicyConfig) -> Result<()> {
    let spans = Spans::read(text);
    for (i, d) in config.documents.iter().enumerate() {
        let s = spans.documents.get(i);
        let at = |span: Option<&toml::Spanned<String>>, message: String| {
            config_error(text, span.map(|v| v.span()), message)
        };
        let item = |list: Option<&Vec<toml::Spanned<String>>>, value: &str| {
            list.and_then(|l| l.iter().find(|v| v.get_ref() == value)).map(|v| v.span())
        };
        let well_formed = !d.id.is_empty()
            && d.id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !well_formed {
            return Err(at(
                s.and_then(|s| s.id.as_ref()),
                format!(
                    "document id `{}` is not well-formed; use lower-case letters, digits, `-` and `_` (it names files and folders)",
                    d.id
                ),
            ));
        }
        if config.documents[..i].iter().any(|e| e.id == d.id) {
            return Err(at(
                s.and_then(|s| s.id.as_ref()),
                format!("document `{}` is listed twice in [[documents]]", d.id),
            ));
        }
        let languages = d.languages();
        for (k, lang) in languages.iter().enumerate() {
            let span = if k == 0 {
                s.and_then(|s| s.source_language.as_ref()).map(|v| v.span())
            } else {
                s.and_then(|s| s.translations.get(k - 1)).map(|v| v.span())
            };
            let field = if k == 0 { "source_language" } else { "translations" };
            if !is_language_tag(lang) {
                return Err(config_error(
                    text,
                    span,
                    format!(
                        "document `{}`: `{lang}` in {field} is not a language tag; use a BCP 47 tag such as zh-CN, en or zh-Hans-CN",
                        d.id
                    ),
                ));
            }
            if let Some(first) = languages[..k].iter().position(|l| l.eq_ignore_ascii_case(lang)) {
                let what = if first == 0 {
                    "is the source language"
                } else {
                    "is listed twice in translations"
                };
                return Err(config_error(
                    text,
                    span,
                    format!(
                        "document `{}`: translation `{lang}` {what}; list each language once",
                        d.id
                    ),
                ));
            }
        }
        for l in &d.links {
            let span = item(s.map(|s| &s.links), l);
            if l == &d.id {
                return Err(config_error(
                    text,
                    span,
                    format!("document `{}` links to itself in `links`", d.id),
                ));
            }
            if !config.documents.iter().any(|e| &e.id == l) {
                return Err(config_error(
                    text,
                    span,
                    format!(
                        "document `{}` links to `{l}`, which is not listed in [[documents]]",
                        d.id
                    ),
                ));
            }
        }
        for key in d.lint.disclosures.iter().flatten() {
            if !DISCLOSURES.contains(&key.as_str()) {
                return Err(config_error(
                    text,
                    item(s.map(|s| &s.lint.disclosures), key),
                    format!(
                        "document `{}`: unknown disclosure `{key}` in lint.disclosures; use {}",
                        d.id,
                        DISCLOSURES.join(", ")
                    ),
                ));
            }
        }
        for key in d.lint.update_promises.iter().flatten() {
            if !UPDATE_PROMISES.contains(&key.as_str()) {
                return Err(config_error(
                    text,
                    item(s.map(|s| &s.lint.update_promises), key),
                    format!(
                        "document `{}`: unknown promise `{key}` in lint.update_promises; use {}",
                        d.id,
                        UPDATE_PROMISES.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(())
}
