//! The statement lexicon (`lexicon.toml`): the words that name each vocabulary id, compiled once
//! into one automaton, and the scan that finds them in a clause.

use crate::normalize::match_text;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;

const LEXICON: &str = include_str!("lexicon.toml");

/// What a lexicon term names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Field {
    Action,
    Data,
    Recipient,
    Purpose,
    Condition,
    Control,
    Place,
    /// A longer term that names nothing (wins over the terms inside it).
    Ignore,
    Negation,
    NegationPrefix,
    NotNegation,
    Exception,
    PurposeCue,
    Anaphora,
    Object,
    Tool,
    Open,
    ActorWe,
    ActorUser,
}

impl Field {
    /// Markers are resolved among themselves; content terms among themselves.
    fn is_marker(self) -> bool {
        matches!(
            self,
            Field::Negation
                | Field::NegationPrefix
                | Field::NotNegation
                | Field::Exception
                | Field::PurposeCue
                | Field::Anaphora
                | Field::Object
                | Field::Tool
                | Field::Open
                | Field::ActorWe
                | Field::ActorUser
        )
    }
}

/// One term of the lexicon.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) field: Field,
    /// The vocabulary id (`health`), empty for markers.
    pub(crate) id: String,
    /// The synonym group it belongs to, by its first term (`手机号`): one kind of thing.
    pub(crate) item: String,
    /// Matches any word starting with the term (a trailing `*`).
    prefix: bool,
}

/// A term found in a clause: byte range in the [`match_text`] form, and its entry.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) entry: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    actions: BTreeMap<String, Vec<String>>,
    data: BTreeMap<String, Vec<String>>,
    recipients: BTreeMap<String, Vec<String>>,
    purposes: BTreeMap<String, Vec<String>>,
    conditions: BTreeMap<String, Vec<String>>,
    controls: BTreeMap<String, Vec<String>>,
    places: BTreeMap<String, Vec<String>>,
    markers: BTreeMap<String, Vec<String>>,
    ignore: BTreeMap<String, Vec<String>>,
}

/// The compiled lexicon.
pub(crate) struct Lexicon {
    automaton: AhoCorasick,
    pub(crate) entries: Vec<Entry>,
    /// Vocabulary ids per field, in file order.
    pub(crate) ids: BTreeMap<Field, Vec<String>>,
}

/// The lexicon, compiled on first use.
pub(crate) static LEXICON_COMPILED: LazyLock<Lexicon> = LazyLock::new(Lexicon::compile);

impl Lexicon {
    fn compile() -> Lexicon {
        let file: LexiconFile =
            toml::from_str(LEXICON).unwrap_or_else(|e| panic!("statements/lexicon.toml: {e}"));
        let mut patterns: Vec<String> = Vec::new();
        let mut entries: Vec<Entry> = Vec::new();
        let mut ids: BTreeMap<Field, Vec<String>> = BTreeMap::new();
        let mut add = |field: Field, id: &str, groups: &[String]| {
            if !id.is_empty() {
                ids.entry(field).or_default().push(id.to_string());
            }
            for group in groups {
                let terms: Vec<&str> = group.split('|').map(str::trim).collect();
                let item = match_text(terms[0].trim_end_matches('*'));
                for term in terms {
                    let (term, prefix) = match term.strip_suffix('*') {
                        Some(t) => (t, true),
                        None => (term, false),
                    };
                    // Keep a trailing space (the English purpose cue `to `).
                    let keep_space = term.ends_with(' ');
                    let mut t = match_text(term);
                    if keep_space {
                        t.push(' ');
                    }
                    if t.trim().is_empty() {
                        continue;
                    }
                    patterns.push(t);
                    entries.push(Entry { field, id: id.to_string(), item: item.clone(), prefix });
                }
            }
        };
        for (table, field) in [
            (&file.actions, Field::Action),
            (&file.data, Field::Data),
            (&file.recipients, Field::Recipient),
            (&file.purposes, Field::Purpose),
            (&file.conditions, Field::Condition),
            (&file.controls, Field::Control),
            (&file.places, Field::Place),
        ] {
            for (id, groups) in table {
                add(field, id, groups);
            }
        }
        for (name, terms) in &file.markers {
            let field = match name.as_str() {
                "negation" => Field::Negation,
                "negation_prefix" => Field::NegationPrefix,
                "not_negation" => Field::NotNegation,
                "exception" => Field::Exception,
                "purpose" => Field::PurposeCue,
                "anaphora" => Field::Anaphora,
                "object" => Field::Object,
                "tool" => Field::Tool,
                "open" => Field::Open,
                "actor_we" => Field::ActorWe,
                "actor_user" => Field::ActorUser,
                other => panic!("statements/lexicon.toml: unknown marker list `{other}`"),
            };
            add(field, "", terms);
        }
        for terms in file.ignore.values() {
            add(Field::Ignore, "", terms);
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&patterns)
            .expect("statement lexicon automaton");
        Lexicon { automaton, entries, ids }
    }

    /// Every term in `text` (a [`match_text`] form), markers and content terms each resolved
    /// leftmost-longest among themselves, in text order.
    pub(crate) fn scan(&self, text: &str) -> Vec<Hit> {
        let mut content: Vec<Hit> = Vec::new();
        let mut markers: Vec<Hit> = Vec::new();
        for m in self.automaton.find_overlapping_iter(text) {
            let entry = &self.entries[m.pattern().as_usize()];
            let (start, end) = (m.start(), m.end());
            if !bounded(text, start, end, entry.prefix) {
                continue;
            }
            let end = if entry.prefix { word_end(text, end) } else { end };
            let hit = Hit { start, end, entry: m.pattern().as_usize() };
            if entry.field.is_marker() { markers.push(hit) } else { content.push(hit) }
        }
        let mut out = leftmost_longest(content);
        out.extend(leftmost_longest(markers));
        out.sort_by_key(|h| (h.start, h.end));
        out
    }

    /// The entry of a hit.
    pub(crate) fn entry(&self, hit: &Hit) -> &Entry {
        &self.entries[hit.entry]
    }
}

/// Keeps, of overlapping hits, the leftmost and then the longest.
fn leftmost_longest(mut hits: Vec<Hit>) -> Vec<Hit> {
    hits.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
    let mut out = Vec::new();
    let mut taken_to = 0;
    for h in hits {
        if h.start >= taken_to {
            taken_to = h.end;
            out.push(h);
        }
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Whether a match at `start..end` respects word boundaries: a term starting (ending) with a
/// Latin letter or digit may not start (end, unless `prefix`) inside a word.
fn bounded(text: &str, start: usize, end: usize, prefix: bool) -> bool {
    let term = &text[start..end];
    let first = term.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    let last = term.chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric());
    let before = first && text[..start].chars().next_back().is_some_and(is_word_char);
    let after = !prefix && last && text[end..].chars().next().is_some_and(is_word_char);
    !before && !after
}

/// The end of the word that continues at `end` (for prefix terms).
fn word_end(text: &str, end: usize) -> usize {
    end + text[end..].find(|c: char| !(is_word_char(c) || c == '-')).unwrap_or(text.len() - end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lexicon_compiles_and_finds_the_longest_term() {
        let lex = &*LEXICON_COMPILED;
        let text = match_text("我们会收集您的手机号码和个人信息安全事件");
        let found: Vec<(Field, &str)> = lex
            .scan(&text)
            .iter()
            .map(|h| (lex.entry(h).field, &text[h.start..h.end]))
            .filter(|(f, _)| !f.is_marker())
            .collect();
        assert_eq!(
            found,
            vec![
                (Field::Action, "收集"),
                (Field::Data, "手机号码"),
                (Field::Ignore, "个人信息安全事件"),
            ]
        );
    }

    #[test]
    fn latin_terms_match_whole_words() {
        let lex = &*LEXICON_COMPILED;
        let text = match_text("We collect your e-mail address; recollect, collection.");
        let actions: Vec<&str> = lex
            .scan(&text)
            .iter()
            .filter(|h| lex.entry(h).field == Field::Action)
            .map(|h| &text[h.start..h.end])
            .collect();
        // `recollect` holds `collect` inside a word; `collection` is not a listed form.
        assert_eq!(actions, vec!["collect"]);
    }
}
