//! What a published site says about itself beyond the policy text: the people's release notes
//! and annotations in the page's language, publication dates, absolute addresses and feed ids,
//! and text made safe to show (README "Publish the site").

use crate::notes::{Annotation, note_in};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Whether `c` is a bidirectional formatting control: the embeddings and overrides
/// (U+202A–U+202E), the isolates (U+2066–U+2069) and the marks (U+200E, U+200F). Pasted into a
/// summary or a note, U+202E would display the rest of a line (or a feed entry) reversed.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// `s` with every bidirectional control ([`is_bidi_control`]) replaced by U+FFFD, so it cannot
/// reorder what follows and the reader sees where something was.
pub fn neutralize_bidi(s: &str) -> Cow<'_, str> {
    if !s.contains(is_bidi_control) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().map(|c| if is_bidi_control(c) { '\u{fffd}' } else { c }).collect())
}

/// A release note as a page in one language shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NoteView {
    /// The text (bidirectional controls neutralised).
    pub text: String,
    /// The language it is written in.
    pub lang: String,
    /// The page's language has no note of its own: this is the source language's, marked so.
    pub fallback: bool,
}

/// The note of a release for each of `languages` (the source first), each falling back to the
/// source language's note; empty when the release has none.
pub fn note_views(
    notes: &BTreeMap<String, String>,
    languages: &[&str],
) -> BTreeMap<String, NoteView> {
    let source = languages.first().copied().unwrap_or_default();
    languages
        .iter()
        .filter_map(|&l| {
            let (text, written) = note_in(notes, l, source)?;
            Some((
                l.to_string(),
                NoteView {
                    text: neutralize_bidi(text).into_owned(),
                    lang: written.to_string(),
                    fallback: written != l,
                },
            ))
        })
        .collect()
}

/// An annotation as a page in one language shows it beside its finding.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AnnotationView {
    /// `explanation` or `not-applicable`.
    pub kind: &'static str,
    /// The text in the page's language, else the source language's (bidi controls neutralised).
    pub text: String,
    /// The language of `text`.
    pub lang: String,
    /// `text` is the source language's, the page's language having none.
    pub fallback: bool,
}

/// Finding key → how a page in `lang` shows its annotation.
pub fn annotation_views(
    annotations: &[Annotation],
    lang: &str,
    source: &str,
) -> BTreeMap<String, AnnotationView> {
    annotations
        .iter()
        .filter_map(|a| {
            let (text, written) = note_in(&a.text, lang, source)?;
            Some((
                a.key.clone(),
                AnnotationView {
                    kind: a.kind.as_str(),
                    text: neutralize_bidi(text).into_owned(),
                    lang: written.to_string(),
                    fallback: written != lang,
                },
            ))
        })
        .collect()
}

/// The calendar date in `tz` of a record's `released_at` (`2026-12-08T03:12:00Z`): the day the
/// version was published, where its readers live. `None` when it does not parse.
pub fn publication_date(released_at: &str, tz: &jiff::tz::TimeZone) -> Option<jiff::civil::Date> {
    let ts: jiff::Timestamp = released_at.parse().ok()?;
    Some(ts.to_zoned_datetime(tz.clone()).date())
}

/// `base` (`https://example.com/policy/`, with or without the trailing slash) joined with a
/// site path (`privacy/1.0.0/`).
pub fn absolute(base: &str, path: &str) -> String {
    format!("{}/{}", base.trim_end_matches('/'), path.trim_start_matches('/'))
}

/// A tag URI (RFC 4151) for a feed or entry id: `tag:<host>,<date>:<path of the base><specific>`,
/// e.g. `tag:example.com,2026-11-29:policy/privacy/1.0.0`. `date` is a day the site's owner held
/// the host (the document's first release), so ids stay the same from build to build and are
/// unique to the site; `None` when `base` has no host.
pub fn tag_uri(base: &str, date: jiff::civil::Date, specific: &str) -> Option<String> {
    let rest = base.split_once("://").map_or(base, |(_, r)| r);
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = authority.rsplit('@').next()?.split(':').next()?.to_ascii_lowercase();
    if host.is_empty() {
        return None;
    }
    let path = path.trim_matches('/');
    let prefix = if path.is_empty() { String::new() } else { format!("{path}/") };
    Some(format!("tag:{host},{date}:{prefix}{specific}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_controls_cannot_reverse_what_follows() {
        assert_eq!(
            neutralize_bidi("a\u{202e}cba\u{2066}x\u{200f}"),
            "a\u{fffd}cba\u{fffd}x\u{fffd}"
        );
        assert!(matches!(neutralize_bidi("plain 中文"), Cow::Borrowed(_)));
    }

    #[test]
    fn notes_fall_back_to_the_source_language_marked_as_such() {
        let notes: BTreeMap<String, String> = [("zh-CN".to_string(), "新增。".to_string())].into();
        let v = note_views(&notes, &["zh-CN", "en"]);
        assert_eq!(
            v["zh-CN"],
            NoteView { text: "新增。".into(), lang: "zh-CN".into(), fallback: false }
        );
        assert_eq!(
            v["en"],
            NoteView { text: "新增。".into(), lang: "zh-CN".into(), fallback: true }
        );
        assert!(note_views(&BTreeMap::new(), &["zh-CN", "en"]).is_empty());
    }

    #[test]
    fn dates_addresses_and_tag_uris() {
        let tz = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
        // 20:00 UTC is already the next day in Shanghai.
        assert_eq!(
            publication_date("2026-12-08T20:00:00Z", &tz).unwrap().to_string(),
            "2026-12-09"
        );
        assert_eq!(publication_date("yesterday", &tz), None);
        assert_eq!(
            absolute("https://example.com/policy/", "privacy/1.0.0/"),
            "https://example.com/policy/privacy/1.0.0/"
        );
        assert_eq!(
            absolute("https://example.com/policy", "privacy/"),
            "https://example.com/policy/privacy/"
        );
        let d = jiff::civil::date(2026, 11, 29);
        assert_eq!(
            tag_uri("https://Example.com:8443/policy/", d, "privacy/1.0.0").unwrap(),
            "tag:example.com,2026-11-29:policy/privacy/1.0.0"
        );
        assert_eq!(
            tag_uri("https://example.com", d, "privacy").unwrap(),
            "tag:example.com,2026-11-29:privacy"
        );
    }
}
