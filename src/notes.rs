//! Release notes and annotations written by people (README "Release notes and annotations").
//!
//! A release's machine summary (`device-permissions: row added … (reconsent)`) says what changed
//! to the tool; readers and apps need a sentence a person wrote. The publisher drafts it in
//! `policy/<document>.notes.toml` (or a file given to `release --notes`):
//!
//! ```toml
//! version = "2.0.0"                     # the version this note is for
//! zh-CN = "我们新增了广告合作伙伴……"       # one string per language tag, the source language first
//! en = "We now work with an advertising partner …"
//!
//! [[annotations]]                       # optional: a word beside one finding
//! key = "new-sdk-ads/device-permissions/3f2a91c0"   # rule / section / hash of the changed text
//! kind = "not-applicable"               # or "explanation" (the default)
//! zh-CN = "该SDK仅在用户开启个性化广告时加载……"
//! ```
//!
//! `build --preview` shows the draft; `release` stores it in the record (`[notes]`,
//! `[[annotations]]`). A major or re-consent release needs a note in the source language (the
//! policy's own update clause, 十一, promises prominent notice of major changes: a notice says
//! what changed in words); a translation without its own note shows the source note, marked as
//! such. An annotation never changes a finding's level: it explains it.

use crate::archive::Version;
use crate::classify::Finding;
use crate::error::{Error, Result};
use crate::model::Level;
use crate::repo::{DocumentConfig, PolicyRepo};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What an annotation says about its finding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnnotationKind {
    /// A plain-language explanation of the change (the default).
    #[default]
    Explanation,
    /// The finding does not apply, and the text says why; its level stands all the same.
    NotApplicable,
}

impl AnnotationKind {
    /// Its spelling in notes files and records (`explanation`, `not-applicable`).
    pub fn as_str(self) -> &'static str {
        match self {
            AnnotationKind::Explanation => "explanation",
            AnnotationKind::NotApplicable => "not-applicable",
        }
    }

    fn parse(s: &str) -> Option<AnnotationKind> {
        [AnnotationKind::Explanation, AnnotationKind::NotApplicable]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// The publisher's word on one finding, as a notes file and a release record hold it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    /// The finding it is about ([`finding_key`]: `rule/section/hash`).
    pub key: String,
    /// What it says about the finding.
    #[serde(default)]
    pub kind: AnnotationKind,
    /// Language tag → text.
    #[serde(flatten)]
    pub text: BTreeMap<String, String>,
}

/// The key of a finding, by which an annotation names it: `<rule>/<section>/<hash>`, where
/// `hash` is the first 8 hex digits of the sha256 of the old text, a NUL, and the new text
/// (each empty when absent). It stays the same as long as the rule, the section id and the
/// changed text do, so an annotation written on a pull request still applies at release.
pub fn finding_key(rule: &str, section: &str, old: Option<&str>, new: Option<&str>) -> String {
    let mut bytes = old.unwrap_or_default().as_bytes().to_vec();
    bytes.push(0);
    bytes.extend_from_slice(new.unwrap_or_default().as_bytes());
    let hash = crate::archive::sha256_hex(&bytes);
    format!("{rule}/{section}/{}", &hash[..8])
}

/// A notes file, read and checked.
#[derive(Debug, Clone)]
pub struct Notes {
    /// The file as named in messages (`policy/privacy.notes.toml`).
    pub label: String,
    /// The version it is for.
    pub version: Version,
    /// The 1-based line of `version`.
    pub version_line: usize,
    /// Language tag → note.
    pub text: BTreeMap<String, String>,
    /// The 1-based line of each language's note.
    pub text_lines: BTreeMap<String, usize>,
    /// The annotations, in file order.
    pub annotations: Vec<Annotation>,
    /// The 1-based line of each annotation's `key`, same order.
    pub annotation_lines: Vec<usize>,
}

/// `policy/<document>.notes.toml` of `doc` (it may not exist).
pub fn default_path(repo: &PolicyRepo, doc: &DocumentConfig) -> PathBuf {
    repo.root.join("policy").join(format!("{}.notes.toml", doc.id))
}

/// The label of [`default_path`] in messages.
pub fn default_label(doc: &DocumentConfig) -> String {
    format!("policy/{}.notes.toml", doc.id)
}

/// The notes of `doc`: the file `explicit` (a `--notes` argument: `(path, label)`), else
/// [`default_path`] when it exists, else `None`.
///
/// Errors: as [`Notes::parse`]; a missing explicit file.
pub fn load(
    repo: &PolicyRepo,
    doc: &DocumentConfig,
    explicit: Option<(&std::path::Path, &str)>,
) -> Result<Option<Notes>> {
    let (path, label) = match explicit {
        Some((p, l)) => (p.to_path_buf(), l.to_string()),
        None => {
            let p = default_path(repo, doc);
            if !crate::fsutil::is_present(&p) {
                return Ok(None);
            }
            (p, default_label(doc))
        }
    };
    let bytes = crate::fsutil::read_regular(&path, &label)?;
    Notes::parse(&label, &bytes, doc).map(Some)
}

impl Notes {
    /// Parses a notes file; `label` names it in messages, `doc` gives the languages allowed.
    ///
    /// Errors ([`Error::Toml`], naming the file, line and column): not UTF-8 or not TOML; no
    /// `version` or one that is not `X.Y.Z`; a key that is neither `version`, `annotations` nor
    /// one of the document's languages; a note that is not a string or is blank; an annotation
    /// without a well-formed `key`, with a key given twice, an unknown `kind`, or no text in the
    /// source language.
    pub fn parse(label: &str, bytes: &[u8], doc: &DocumentConfig) -> Result<Notes> {
        use toml::de::{DeTable, DeValue};
        let text = crate::text::decode(label, bytes)?;
        let at = |offset: usize, message: String| {
            let (line, column) = crate::text::line_col(&text, offset);
            Error::Toml { path: label.to_string(), line, column, message }
        };
        let line_of = |offset: usize| crate::text::line_col(&text, offset).0;
        let table = DeTable::parse(&text).map_err(|e| Error::toml(label, &text, &e))?;
        let languages = doc.languages();
        let known = || {
            format!(
                "`version`, `annotations` or a language of {} ({})",
                doc.id,
                languages.join(", ")
            )
        };
        // A language's text: a non-blank string.
        let note = |value: &toml::Spanned<DeValue<'_>>, key: &str| -> Result<String> {
            match value.get_ref() {
                DeValue::String(s) if !s.trim().is_empty() => Ok(s.trim().to_string()),
                DeValue::String(_) => Err(at(
                    value.span().start,
                    format!("`{key}` is blank; write the note, or remove the line"),
                )),
                _ => Err(at(value.span().start, format!("`{key}` must be a string"))),
            }
        };
        let mut version = None;
        let mut notes = Notes {
            label: label.to_string(),
            version: Version { major: 0, minor: 0, patch: 0 },
            version_line: 1,
            text: BTreeMap::new(),
            text_lines: BTreeMap::new(),
            annotations: Vec::new(),
            annotation_lines: Vec::new(),
        };
        for (key, value) in table.get_ref() {
            let name = key.get_ref().as_ref();
            match name {
                "version" => {
                    let v = match value.get_ref() {
                        DeValue::String(s) => Version::parse(s),
                        _ => None,
                    };
                    let Some(v) = v else {
                        return Err(at(
                            value.span().start,
                            "`version` must be the version this note is for, as \"X.Y.Z\" (e.g. \"2.0.0\")".to_string(),
                        ));
                    };
                    version = Some(v);
                    notes.version_line = line_of(key.span().start);
                }
                "annotations" => {
                    let DeValue::Array(items) = value.get_ref() else {
                        return Err(at(
                            value.span().start,
                            "`annotations` must be a list of [[annotations]] tables".to_string(),
                        ));
                    };
                    for item in items {
                        let DeValue::Table(t) = item.get_ref() else {
                            return Err(at(
                                item.span().start,
                                "each annotation must be a table ([[annotations]])".to_string(),
                            ));
                        };
                        let mut a = Annotation::default();
                        let mut key_line = line_of(item.span().start);
                        for (k, v) in t {
                            let kname = k.get_ref().as_ref();
                            match (kname, v.get_ref()) {
                                ("key", DeValue::String(s)) => {
                                    if !is_key(s) {
                                        return Err(at(
                                            v.span().start,
                                            format!(
                                                "annotation key `{s}` is not `rule/section/hash` (as `redline check --format json` prints a finding's `key`)"
                                            ),
                                        ));
                                    }
                                    a.key = s.to_string();
                                    key_line = line_of(k.span().start);
                                }
                                ("kind", DeValue::String(s)) => {
                                    a.kind = AnnotationKind::parse(s).ok_or_else(|| {
                                        at(
                                            v.span().start,
                                            format!("annotation kind `{s}` is not `explanation` or `not-applicable`"),
                                        )
                                    })?;
                                }
                                (l, _) if languages.contains(&l) => {
                                    a.text.insert(l.to_string(), note(v, l)?);
                                }
                                ("key" | "kind", _) => {
                                    return Err(at(
                                        v.span().start,
                                        format!("`{kname}` must be a string"),
                                    ));
                                }
                                _ => {
                                    return Err(at(
                                        k.span().start,
                                        format!(
                                            "unknown key `{kname}` in an annotation; use `key`, `kind` or a language of {} ({})",
                                            doc.id,
                                            languages.join(", ")
                                        ),
                                    ));
                                }
                            }
                        }
                        if a.key.is_empty() {
                            return Err(at(
                                item.span().start,
                                "an annotation needs `key` (a finding's key, as `redline check --format json` prints it)".to_string(),
                            ));
                        }
                        if !a.text.contains_key(&doc.source_language) {
                            return Err(at(
                                item.span().start,
                                format!(
                                    "the annotation of `{}` has no `{}` text; the source language comes first",
                                    a.key, doc.source_language
                                ),
                            ));
                        }
                        if let Some(i) = notes.annotations.iter().position(|b| b.key == a.key) {
                            return Err(at(
                                item.span().start,
                                format!(
                                    "annotation `{}` is given twice (also at line {}); merge the two",
                                    a.key, notes.annotation_lines[i]
                                ),
                            ));
                        }
                        notes.annotations.push(a);
                        notes.annotation_lines.push(key_line);
                    }
                }
                l if languages.contains(&l) => {
                    notes.text.insert(l.to_string(), note(value, l)?);
                    notes.text_lines.insert(l.to_string(), line_of(key.span().start));
                }
                other => {
                    return Err(at(
                        key.span().start,
                        format!("unknown key `{other}`; use {}", known()),
                    ));
                }
            }
        }
        notes.version = version.ok_or_else(|| Error::Toml {
            path: label.to_string(),
            line: 1,
            column: 1,
            message: "no `version`: write the version this note is for (version = \"X.Y.Z\")"
                .to_string(),
        })?;
        Ok(notes)
    }

    /// The keys of annotations that are not among `keys` (the findings' keys), with their
    /// lines.
    pub fn unmatched<'a>(&'a self, keys: &[&str]) -> Vec<(usize, &'a str)> {
        self.annotations
            .iter()
            .zip(&self.annotation_lines)
            .filter(|(a, _)| !keys.contains(&a.key.as_str()))
            .map(|(a, &line)| (line, a.key.as_str()))
            .collect()
    }

    /// The messages for the annotations that match none of `findings`:
    /// `policy/privacy.notes.toml:9: annotation key `…` matches no finding of 2.0.0; …`.
    pub fn unmatched_messages(&self, findings: &[Finding]) -> Vec<String> {
        let keys: Vec<&str> = findings.iter().map(|f| f.key.as_str()).collect();
        self.unmatched_key_messages(&keys)
    }

    /// [`Notes::unmatched_messages`] for findings given by their keys.
    pub fn unmatched_key_messages(&self, keys: &[&str]) -> Vec<String> {
        self.unmatched(keys)
            .into_iter()
            .map(|(line, key)| {
                format!(
                    "{}:{line}: annotation key `{key}` matches no finding of {}; `redline check --format json` lists each finding's key",
                    self.label, self.version
                )
            })
            .collect()
    }
}

/// Whether `s` looks like a [`finding_key`]: three non-empty parts, the last 8 hex digits.
fn is_key(s: &str) -> bool {
    let parts: Vec<&str> = s.split('/').collect();
    parts.len() == 3
        && parts.iter().all(|p| !p.is_empty() && !p.contains(char::is_whitespace))
        && parts[2].len() == 8
        && parts[2].bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// Checks the notes of a release (`notes`, `None` without a file; `expected` names the file
/// expected when there is none) against what is released: `version`, its `level`, the
/// source-language `findings`, and the previous release's notes.
///
/// Errors ([`Error::Refused`], naming the file, and the line or language): a notes file for
/// another version; no note in `doc`'s source language for a `major` or `reconsent` release; a
/// note equal to the previous release's in the same language (a notes file left from the last
/// release); an annotation key that matches no finding.
pub fn check_release(
    notes: Option<&Notes>,
    expected: &str,
    doc: &DocumentConfig,
    version: Version,
    level: Level,
    findings: &[Finding],
    previous: Option<&BTreeMap<String, String>>,
) -> Result<()> {
    let src = &doc.source_language;
    let Some(notes) = notes else {
        if level >= Level::Major {
            return Err(Error::Refused(format!(
                "refusing to release {} {version}: a {level} release needs a release note in {src}, and {expected} does not exist; write it (version = \"{version}\" and {src} = \"…\", one sentence a reader understands) or pass --notes FILE",
                doc.id
            )));
        }
        return Ok(());
    };
    if notes.version != version {
        return Err(Error::Refused(format!(
            "{}:{}: the notes are for version {}, but this release is {version}; update `version` and the text, or remove the file",
            notes.label, notes.version_line, notes.version
        )));
    }
    if level >= Level::Major && !notes.text.contains_key(src) {
        return Err(Error::Refused(format!(
            "{}: no {src} note: a {level} release needs a release note in the source language {src} ({src} = \"…\")",
            notes.label
        )));
    }
    if let Some(previous) = previous {
        for (lang, text) in &notes.text {
            if previous.get(lang) == Some(text) {
                return Err(Error::Refused(format!(
                    "{}:{}: the {lang} note is the previous release's word for word; write what changed in {version}",
                    notes.label, notes.text_lines[lang]
                )));
            }
        }
    }
    if let Some(m) = notes.unmatched_messages(findings).into_iter().next() {
        return Err(Error::Refused(m));
    }
    Ok(())
}

/// A note to show in `lang`: the text and the language it is written in (the source language
/// when `lang` has none of its own: a fallback the page marks as such). `None` without notes.
pub fn note_in<'a>(
    notes: &'a BTreeMap<String, String>,
    lang: &str,
    source: &str,
) -> Option<(&'a str, &'a str)> {
    notes
        .get_key_value(lang)
        .or_else(|| notes.get_key_value(source))
        .or_else(|| notes.iter().next())
        .map(|(l, t)| (t.as_str(), l.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> DocumentConfig {
        toml::from_str("id = \"privacy\"\nsource_language = \"zh-CN\"\ntranslations = [\"en\"]\n")
            .unwrap()
    }

    #[test]
    fn keys_name_rule_section_and_changed_text() {
        let k = finding_key("new-sdk-ads", "device-permissions", None, Some("穿山甲广告SDK"));
        assert!(k.starts_with("new-sdk-ads/device-permissions/"), "{k}");
        assert!(is_key(&k), "{k}");
        // Old and new are told apart: moving text from one side to the other is another change.
        assert_ne!(
            k,
            finding_key("new-sdk-ads", "device-permissions", Some("穿山甲广告SDK"), None)
        );
        assert_eq!(
            k,
            finding_key("new-sdk-ads", "device-permissions", None, Some("穿山甲广告SDK"))
        );
        assert!(!is_key("a/b"));
        assert!(!is_key("a/b/ABCDEF12"));
    }

    #[test]
    fn a_notes_file_reads_and_names_the_line_of_what_is_wrong() {
        let text = "version = \"2.0.0\"\nzh-CN = \" 新增广告SDK。 \"\nen = \"An ad SDK.\"\n\n[[annotations]]\nkey = \"r/s/0123abcd\"\nkind = \"not-applicable\"\nzh-CN = \"不适用。\"\n";
        let n = Notes::parse("n.toml", text.as_bytes(), &doc()).unwrap();
        assert_eq!(n.version.to_string(), "2.0.0");
        assert_eq!(n.text["zh-CN"], "新增广告SDK。");
        assert_eq!(n.text_lines["en"], 3);
        assert_eq!(n.annotations[0].kind, AnnotationKind::NotApplicable);
        assert_eq!(n.annotation_lines, vec![6]);
        let err = |t: &str| Notes::parse("n.toml", t.as_bytes(), &doc()).unwrap_err().to_string();
        assert_eq!(
            err("version = \"2.0.0\"\nfr = \"x\"\n"),
            "n.toml:2:1: unknown key `fr`; use `version`, `annotations` or a language of privacy (zh-CN, en)"
        );
        assert_eq!(
            err("zh-CN = \"x\"\n"),
            "n.toml:1:1: no `version`: write the version this note is for (version = \"X.Y.Z\")"
        );
        assert!(err("version = \"2\"\n").starts_with("n.toml:1:11: `version` must be"));
        assert!(err("version = \"2.0.0\"\nen = \"  \"\n").starts_with("n.toml:2:6: `en` is blank"));
        assert!(
            err("version = \"2.0.0\"\n[[annotations]]\nkey = \"x\"\nzh-CN = \"y\"\n")
                .starts_with("n.toml:3:7: annotation key `x` is not")
        );
        assert!(
            err("version = \"2.0.0\"\n[[annotations]]\nkey = \"r/s/0123abcd\"\nen = \"y\"\n")
                .contains("has no `zh-CN` text")
        );
    }

    #[test]
    fn a_translation_without_a_note_falls_back_to_the_source() {
        let notes: BTreeMap<String, String> = [("zh-CN".to_string(), "新增。".to_string())].into();
        assert_eq!(note_in(&notes, "en", "zh-CN"), Some(("新增。", "zh-CN")));
        assert_eq!(note_in(&notes, "zh-CN", "zh-CN"), Some(("新增。", "zh-CN")));
        assert_eq!(note_in(&BTreeMap::new(), "en", "zh-CN"), None);
    }
}
