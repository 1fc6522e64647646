//! The site's templates, stylesheet and UI strings: built into the binary from `templates/`, and
//! overridable by name from a policy repository's own `templates/` folder (Tera's `extend` keeps
//! a name that already exists, so the user's file wins; Zola `load_tera` works the same way).
//!
//! Every HTML template's name ends in `.html` and the feed's in `.xml`, so Tera autoescapes all
//! values; policy text reaches a page only as escaped text or as HTML that went through
//! [`super::html::sanitize`].

use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::path::Path;
use tera::Tera;

/// The built-in templates: `(name, source)`.
pub(crate) const BUILTIN_TEMPLATES: [(&str, &str); 9] = [
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("document.html", include_str!("../../templates/document.html")),
    ("compare.html", include_str!("../../templates/compare.html")),
    ("history.html", include_str!("../../templates/history.html")),
    ("as_of.html", include_str!("../../templates/as_of.html")),
    ("comparisons.html", include_str!("../../templates/comparisons.html")),
    ("feed.xml", include_str!("../../templates/feed.xml")),
];

/// The built-in stylesheet (screen, phone and print), written to `style.css`.
pub(crate) const BUILTIN_CSS: &str = include_str!("../../templates/style.css");

/// The built-in UI strings: a TOML table per language tag, each mapping keys to text.
pub(crate) const BUILTIN_STRINGS: &str = include_str!("../../templates/strings.toml");

/// The fallback language of UI strings.
pub(crate) const FALLBACK_LANG: &str = "en";

/// Loaded templates, stylesheet and strings.
pub struct Templates {
    tera: Tera,
    /// The stylesheet (the user's `style.css` when present).
    pub css: String,
    strings: BTreeMap<String, BTreeMap<String, String>>,
}

/// Escapes text for HTML and XML alike: `&`, `<`, `>`, `"` and `'` (Tera's default also escapes
/// `/`, which only makes URLs and policy text harder to read in the source).
pub(crate) fn escape(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Writes the built-in templates, `style.css` and `strings.toml` into `dir` (created when
/// missing), so a team can start overriding them: a file of the same name in a policy
/// repository's `templates/` replaces the built-in one. Returns the file names written, in order.
///
/// Errors: a file of that name already exists in `dir` (nothing is overwritten, and nothing
/// is written); an I/O error naming the file.
pub fn export(dir: &Path) -> Result<Vec<String>> {
    let files: Vec<(&str, &str)> = BUILTIN_TEMPLATES
        .iter()
        .copied()
        .chain([("style.css", BUILTIN_CSS), ("strings.toml", BUILTIN_STRINGS)])
        .collect();
    if let Some((name, _)) = files.iter().find(|(n, _)| crate::fsutil::is_present(&dir.join(n))) {
        return Err(Error::Refused(format!(
            "{}: already exists; export into an empty folder (nothing was written)",
            dir.join(name).display()
        )));
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, &e))?;
    for (name, text) in &files {
        let path = dir.join(name);
        crate::fsutil::write_atomically(&path, &path.display().to_string(), text.as_bytes())?;
    }
    Ok(files.iter().map(|(n, _)| n.to_string()).collect())
}

/// The Tera filter `human_date(fmt=…)`: a calendar date `YYYY-MM-DD` as the page's language
/// writes it, by the pattern `fmt` (the UI string `date_format`): `{y}` the year, `{m}` / `{d}`
/// the month and day without a leading zero, `{mm}` / `{dd}` with one (`zh-CN`: `{y}年{m}月{d}日`
/// gives 2026年12月12日). Any other value passes through unchanged, so a page never fails on one.
/// Machine-readable copies (`<time datetime>`) keep the ISO date.
///
/// Errors: `fmt` missing or not a string.
fn human_date(
    value: &tera::Value,
    args: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let fmt = args
        .get("fmt")
        .and_then(tera::Value::as_str)
        .ok_or_else(|| tera::Error::msg("human_date needs fmt=\"…\" (the date_format string)"))?;
    let Some(text) = value.as_str() else { return Ok(value.clone()) };
    Ok(tera::Value::String(format_date(text, fmt).unwrap_or_else(|| text.to_string())))
}

/// `iso` (`YYYY-MM-DD`) by the pattern of [`human_date`]; `None` when `iso` is not such a date.
pub(crate) fn format_date(iso: &str, fmt: &str) -> Option<String> {
    let date: jiff::civil::Date = iso.parse().ok()?;
    if iso.len() != 10 {
        return None;
    }
    Some(
        fmt.replace("{y}", &date.year().to_string())
            .replace("{mm}", &format!("{:02}", date.month()))
            .replace("{dd}", &format!("{:02}", date.day()))
            .replace("{m}", &date.month().to_string())
            .replace("{d}", &date.day().to_string()),
    )
}

/// Tera's own message is often "Failed to render …"; the cause is in `source()`.
fn chain(err: &dyn std::error::Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut cur = err.source();
    while let Some(e) = cur {
        parts.push(e.to_string());
        cur = e.source();
    }
    parts.join(": ")
}

fn parse_strings(label: &str, text: &str) -> Result<BTreeMap<String, BTreeMap<String, String>>> {
    toml::from_str(text).map_err(|e| Error::toml(label, text, &e))
}

impl Templates {
    /// The built-in templates overridden by the files of `user_dir` (when it exists): any
    /// `*.html` / `*.xml` template by name, `style.css`, and `strings.toml` (merged key by key).
    ///
    /// Errors: a user template that does not parse or extends a missing one, or an invalid
    /// `strings.toml` ([`Error::Config`] / [`Error::Toml`] naming the file).
    pub fn load(user_dir: Option<&Path>) -> Result<Templates> {
        let mut builtin = Tera::default();
        builtin.add_raw_templates(BUILTIN_TEMPLATES).map_err(|e| Error::Config {
            path: "templates (built-in)".to_string(),
            message: chain(&e),
        })?;
        let mut strings = parse_strings("templates/strings.toml (built-in)", BUILTIN_STRINGS)?;
        let mut css = BUILTIN_CSS.to_string();
        let user_dir = user_dir.filter(|d| d.is_dir());
        let tera = match user_dir {
            None => builtin,
            Some(dir) => {
                let label = |name: &str| format!("{}/{name}", dir.display());
                let glob = format!("{}/**/*.{{html,xml}}", dir.display());
                let mut user = Tera::parse(&glob)
                    .map_err(|e| Error::Config { path: label(""), message: chain(&e) })?;
                user.extend(&builtin)
                    .map_err(|e| Error::Config { path: label(""), message: chain(&e) })?;
                let css_path = dir.join("style.css");
                if css_path.is_file() {
                    let bytes = std::fs::read(&css_path).map_err(|e| Error::io(&css_path, &e))?;
                    css = crate::text::decode(&label("style.css"), &bytes)?;
                }
                let strings_path = dir.join("strings.toml");
                if strings_path.is_file() {
                    let bytes =
                        std::fs::read(&strings_path).map_err(|e| Error::io(&strings_path, &e))?;
                    let text = crate::text::decode(&label("strings.toml"), &bytes)?;
                    for (lang, table) in parse_strings(&label("strings.toml"), &text)? {
                        strings.entry(lang).or_default().extend(table);
                    }
                }
                user
            }
        };
        let mut tera = tera;
        tera.set_escape_fn(escape);
        tera.register_filter("human_date", human_date);
        Ok(Templates { tera, css, strings })
    }

    /// Renders template `name` with `context`.
    ///
    /// Errors: [`Error::Config`] naming the template and Tera's cause (a missing variable, a
    /// filter error).
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String> {
        self.tera
            .render(name, context)
            .map_err(|e| Error::Config { path: format!("templates/{name}"), message: chain(&e) })
    }

    /// The UI strings for a page in `lang`: English, overlaid with the strings of `lang` (or of
    /// the first language sharing its primary subtag, so `zh-TW` falls back to `zh-CN`).
    pub fn strings(&self, lang: &str) -> BTreeMap<String, String> {
        let mut out = self.strings.get(FALLBACK_LANG).cloned().unwrap_or_default();
        let primary = super::lang::primary(lang);
        let table = self.strings.get(lang).or_else(|| {
            self.strings.iter().find(|(k, _)| super::lang::primary(k) == primary).map(|(_, v)| v)
        });
        if let Some(table) = table {
            out.extend(table.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_key() {
        let t = Templates::load(None).unwrap();
        let en = &t.strings[FALLBACK_LANG];
        for (lang, table) in &t.strings {
            for key in en.keys() {
                assert!(table.contains_key(key), "{lang} lacks `{key}`");
            }
            for key in table.keys() {
                assert!(en.contains_key(key), "{lang} has `{key}`, which en lacks");
            }
        }
        assert_eq!(t.strings("zh-TW")["history"], t.strings("zh-CN")["history"]);
        assert_eq!(t.strings("de")["history"], en["history"]);
    }

    #[test]
    fn dates_in_the_page_language() {
        let t = Templates::load(None).unwrap();
        let zh = &t.strings("zh-CN")["date_format"];
        assert_eq!(format_date("2026-12-02", zh).unwrap(), "2026年12月2日");
        assert_eq!(
            format_date("2027-01-15", &t.strings("en")["date_format"]).unwrap(),
            "2027-01-15"
        );
        assert_eq!(format_date("not a date", zh), None);
        assert_eq!(format_date("2026-12-02T00:00:00Z", zh), None);
        let mut ctx = tera::Context::new();
        ctx.insert("d", "2026-12-12");
        ctx.insert("f", zh);
        let mut tera = Tera::default();
        tera.register_filter("human_date", human_date);
        let out =
            tera.render_str("{{ d | human_date(fmt=f) }} {{ 'x' | human_date(fmt=f) }}", &ctx);
        assert_eq!(out.unwrap(), "2026年12月12日 x");
    }

    #[test]
    fn user_templates_override_by_name() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("history.html"), "MINE {{ chrome.title }}").unwrap();
        // A user template may extend a built-in one that it does not override.
        std::fs::write(
            dir.path().join("as_of.html"),
            "{% extends \"base.html\" %}{% block main %}OURS{% endblock main %}",
        )
        .unwrap();
        std::fs::write(dir.path().join("strings.toml"), "[en]\nhistory = \"Past texts\"\n")
            .unwrap();
        let t = Templates::load(Some(dir.path())).unwrap();
        assert_eq!(t.strings("en")["history"], "Past texts");
        assert_eq!(t.strings("en")["as_of"], "In force by date", "other keys keep the built-in");
        let mut ctx = tera::Context::new();
        ctx.insert("chrome", &serde_json::json!({"title": "<T>"}));
        assert_eq!(t.render("history.html", &ctx).unwrap(), "MINE &lt;T&gt;");
        // Built-ins fill the gaps: base.html is still there for as_of.html to extend.
        let err = t.render("as_of.html", &ctx).unwrap_err().to_string();
        assert!(err.contains("chrome.lang"), "base.html rendered and asked for its context: {err}");
    }

    #[test]
    fn a_broken_user_template_names_its_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "{% if %}").unwrap();
        let err = Templates::load(Some(dir.path())).err().unwrap().to_string();
        assert!(
            err.contains(&dir.path().display().to_string()) && err.contains("index.html"),
            "{err}"
        );
    }
}
