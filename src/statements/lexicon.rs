//! The statement lexicon (`lexicon.toml`): the words that name each vocabulary id, compiled once
//! into an index by each term's first two characters, and the scan that finds them in a clause.
//!
//! The index is built in well under a millisecond (an Aho-Corasick automaton of the same ~2,300
//! terms took about 4 ms, a fifth of the start-up budget of `redline diff`); a scan looks up each
//! character of the clause once (Latin terms only where a word starts) and compares the few
//! terms that start with the same two characters.

use crate::normalize::match_text;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, LazyLock};

/// `lexicon.toml` as JSON, written by the build script from the TOML (which stays the source):
/// the same values, read several times faster.
const LEXICON_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/statement-lexicon.json"));

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
    /// A named country or region (`[destinations]`), resolved in a layer of its own and kept
    /// apart from the other terms.
    Destination,
    /// A longer term that names nothing (wins over the terms inside it).
    Ignore,
    /// `提供`, `provide`: sharing, or our collection when the user provides, by context.
    Give,
    /// `填写`, `上传`, `submit`: the user supplying information (our collection).
    UserSupply,
    /// `transfer`: abroad when a foreign place is named, a transfer otherwise.
    TransferVerb,
    Negation,
    NegationPrefix,
    NotNegation,
    /// A German negation after the practice word it negates (`verkaufen … nicht`).
    NegationAfter,
    /// What completes a French `ne` (`pas`, `jamais`); `ne` without it (`ne … que`) negates
    /// nothing.
    NegationComplement,
    Exception,
    /// A purpose cue anywhere (`为了`, `以便`, `in order to`, `to improve`).
    PurposeCue,
    /// A purpose cue only at the start of a part (`为`, `以`, `to`).
    PurposeLead,
    /// `for`, `出于`: a purpose named right after it.
    PurposeFor,
    /// `当您…时`, `when you`: the activity a practice serves.
    PurposeFrame,
    Consequence,
    NoConsequence,
    Safeguard,
    /// An illicit practice follows (`非授权的使用`, `unauthorized access`).
    Unauthorized,
    /// After a practice word: it is named, not stated (`…的目的`, `发生变化`).
    NamedAfter,
    /// Before a practice word: it is named, not stated (`purposes of`, `the manner in which`).
    NamedBefore,
    /// Directly before a practice word: a noun, not a verb (`agree to the collection`).
    NamedAdjacent,
    Conditional,
    Continuation,
    SubjectWe,
    SubjectUser,
    /// A pronoun that is not a subject (`向您`, `为我们`, `your`, `provide you`).
    NotSubject,
    Ask,
    ConsentNoun,
    Deny,
    DenyWeak,
    May,
    Must,
    Will,
    Anaphora,
    RecipientAnaphora,
    Object,
    Tool,
    GenericService,
    /// `以下信息：`, `the following information:`: a list of kinds of information follows.
    DataList,
    Open,
}

impl Field {
    /// The group a hit is resolved in (leftmost, then longest, wins within a group): content
    /// terms together, the negation cues together, the subject cues together, the modalities
    /// together, every other marker on its own.
    pub(crate) fn layer(self) -> u8 {
        use Field::*;
        match self {
            Action | Data | Recipient | Purpose | Condition | Control | Place | Ignore | Give
            | UserSupply | TransferVerb => 0,
            Negation | NegationPrefix | NotNegation => 1,
            SubjectWe | SubjectUser | NotSubject => 2,
            May | Must | Will => 3,
            Consequence | NoConsequence => 4,
            Deny | DenyWeak => 5,
            Object | Tool => 6,
            Exception => 10,
            PurposeCue => 11,
            PurposeLead => 12,
            PurposeFor => 13,
            Safeguard => 14,
            NamedAfter => 15,
            NamedBefore => 16,
            NamedAdjacent => 25,
            Unauthorized => 26,
            PurposeFrame => 27,
            DataList => 28,
            NegationAfter => 29,
            NegationComplement => 30,
            Destination => 31,
            Conditional => 17,
            Continuation => 18,
            Ask => 19,
            ConsentNoun => 20,
            Anaphora => 21,
            RecipientAnaphora => 22,
            GenericService => 23,
            Open => 24,
        }
    }

    /// The marker list of `lexicon.toml` that fills this field.
    fn from_marker(name: &str) -> Option<Field> {
        use Field::*;
        Some(match name {
            "give" => Give,
            "user_supply" => UserSupply,
            "transfer_verb" => TransferVerb,
            "negation" => Negation,
            "negation_prefix" => NegationPrefix,
            "not_negation" => NotNegation,
            "negation_after" => NegationAfter,
            "negation_complement" => NegationComplement,
            "exception" => Exception,
            "purpose" => PurposeCue,
            "purpose_lead" => PurposeLead,
            "purpose_for" => PurposeFor,
            "purpose_frame" => PurposeFrame,
            "consequence" => Consequence,
            "no_consequence" => NoConsequence,
            "safeguard" => Safeguard,
            "unauthorized" => Unauthorized,
            "named_after" => NamedAfter,
            "named_before" => NamedBefore,
            "named_adjacent" => NamedAdjacent,
            "conditional" => Conditional,
            "continuation" => Continuation,
            "subject_we" => SubjectWe,
            "subject_user" => SubjectUser,
            "not_subject" => NotSubject,
            "ask" => Ask,
            "consent_noun" => ConsentNoun,
            "deny" => Deny,
            "deny_weak" => DenyWeak,
            "may" => May,
            "must" => Must,
            "will" => Will,
            "anaphora" => Anaphora,
            "recipient_anaphora" => RecipientAnaphora,
            "object" => Object,
            "tool" => Tool,
            "generic_service" => GenericService,
            "open" => Open,
            "data_list" => DataList,
            _ => return None,
        })
    }
}

/// One term of the lexicon.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) field: Field,
    /// The vocabulary id (`health`), empty for markers; shared by the id's terms.
    pub(crate) id: Arc<str>,
    /// The synonym group it belongs to, by its first term (`手机号`): one kind of thing; shared
    /// by the group's terms.
    pub(crate) item: Arc<str>,
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    actions: BTreeMap<String, Vec<String>>,
    data: BTreeMap<String, Vec<String>>,
    recipients: BTreeMap<String, Vec<String>>,
    purposes: BTreeMap<String, Vec<String>>,
    conditions: BTreeMap<String, Vec<String>>,
    controls: BTreeMap<String, Vec<String>>,
    places: BTreeMap<String, Vec<String>>,
    destinations: BTreeMap<String, Vec<String>>,
    markers: BTreeMap<String, Vec<String>>,
    ignore: BTreeMap<String, Vec<String>>,
}

/// A multiplicative hash for the index's character keys (SipHash, the default, is several times
/// slower for one `u64`).
#[derive(Default, Clone, Copy)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

/// Term indices by a character key.
type Index = HashMap<u64, Vec<u32>, BuildHasherDefault<KeyHasher>>;

/// The key of a term's first two characters.
fn pair_key(a: char, b: char) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

/// The compiled lexicon.
pub(crate) struct Lexicon {
    /// Each entry's term in its matching form: its byte range in `pattern_text`.
    patterns: Vec<(u32, u32)>,
    /// The terms in their matching forms, one after the other (one allocation, not thousands).
    pattern_text: String,
    /// Terms of one character, by that character.
    singles: Index,
    /// Longer terms, by their first two characters.
    pairs: Index,
    pub(crate) entries: Vec<Entry>,
    /// Vocabulary ids per field, in file order.
    pub(crate) ids: BTreeMap<Field, Vec<String>>,
}

/// Room reserved for the lexicon's terms when it is compiled (it holds about 3,800), so that
/// the tables are not copied as they grow.
const LEXICON_TERMS: usize = 4096;

/// The lexicon, compiled on first use.
pub(crate) static LEXICON_COMPILED: LazyLock<Lexicon> = LazyLock::new(Lexicon::compile);

impl Lexicon {
    fn compile() -> Lexicon {
        let file: LexiconFile = serde_json::from_str(LEXICON_JSON).unwrap_or_else(|json_error| {
            // A field the build script cannot check: name the TOML's line when it has one.
            match toml::from_str::<LexiconFile>(include_str!("lexicon.toml")) {
                Err(e) => panic!("src/statements/lexicon.toml: {e}"),
                Ok(_) => panic!("the JSON form of the statement lexicon is invalid: {json_error}"),
            }
        });
        let mut patterns: Vec<(u32, u32)> = Vec::with_capacity(LEXICON_TERMS);
        let mut pattern_text = String::with_capacity(LEXICON_TERMS * 8);
        let mut entries: Vec<Entry> = Vec::with_capacity(LEXICON_TERMS);
        let mut ids: BTreeMap<Field, Vec<String>> = BTreeMap::new();
        let none: Arc<str> = Arc::from("");
        let mut add = |field: Field, id: &str, groups: &[String]| {
            let shared_id = if id.is_empty() {
                none.clone()
            } else {
                ids.entry(field).or_default().push(id.to_string());
                Arc::from(id)
            };
            for group in groups {
                let terms: Vec<&str> = group.split('|').map(str::trim).collect();
                let item: Arc<str> = Arc::from(matching_form(terms[0].trim_end_matches('*')));
                for term in terms {
                    debug_assert!(
                        !term.trim_end_matches('*').contains('*'),
                        "statements/lexicon.toml: `*` only ends a term: {term}"
                    );
                    let (term, prefix) = match term.strip_suffix('*') {
                        Some(t) => (t, true),
                        None => (term, false),
                    };
                    // Keep a trailing space (the English purpose cue `to `).
                    let keep_space = term.ends_with(' ');
                    let start = pattern_text.len();
                    append_matching_form(&mut pattern_text, term);
                    if keep_space {
                        pattern_text.push(' ');
                    }
                    if pattern_text[start..].trim().is_empty() {
                        pattern_text.truncate(start);
                        continue;
                    }
                    let range =
                        |at: usize| u32::try_from(at).expect("under 4 GiB of lexicon terms");
                    patterns.push((range(start), range(pattern_text.len())));
                    entries.push(Entry {
                        field,
                        id: shared_id.clone(),
                        item: item.clone(),
                        prefix,
                    });
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
            (&file.destinations, Field::Destination),
        ] {
            for (id, groups) in table {
                add(field, id, groups);
            }
        }
        for (name, terms) in &file.markers {
            let field = Field::from_marker(name)
                .unwrap_or_else(|| panic!("statements/lexicon.toml: unknown marker list `{name}`"));
            add(field, "", terms);
        }
        for terms in file.ignore.values() {
            add(Field::Ignore, "", terms);
        }
        let mut singles = Index::default();
        let mut pairs = Index::default();
        for (k, &(from, to)) in patterns.iter().enumerate() {
            let mut chars = pattern_text[from as usize..to as usize].chars();
            let (Some(a), b) = (chars.next(), chars.next()) else { continue };
            let index = u32::try_from(k).expect("fewer than 2^32 lexicon terms");
            match b {
                Some(b) => pairs.entry(pair_key(a, b)).or_default().push(index),
                None => singles.entry(u64::from(a)).or_default().push(index),
            }
        }
        Lexicon { patterns, pattern_text, singles, pairs, entries, ids }
    }

    /// Every term in `text` (a [`match_text`] form) into `out`, each layer of fields (see
    /// [`Field::layer`]) resolved leftmost-longest on its own, in text order.
    pub(crate) fn scan_into(&self, text: &str, out: &mut Vec<Hit>) {
        out.clear();
        let bytes = text.as_bytes();
        let mut chars = text.char_indices().peekable();
        let mut previous = ' ';
        while let Some((start, a)) = chars.next() {
            let word_start = !is_word_char(previous);
            previous = a;
            // A Latin term never starts inside a word.
            if is_word_char(a) && !word_start {
                continue;
            }
            let mut emit = |k: u32| {
                let (from, to) = self.patterns[k as usize];
                let pattern = &self.pattern_text[from as usize..to as usize];
                let entry = &self.entries[k as usize];
                let end = start + pattern.len();
                if bytes[start..].starts_with(pattern.as_bytes())
                    && bounded(text, start, end, entry.prefix)
                {
                    let end = if entry.prefix { word_end(text, end) } else { end };
                    out.push(Hit { start, end, entry: k as usize });
                }
            };
            if let Some(ks) = self.singles.get(&u64::from(a)) {
                ks.iter().for_each(|&k| emit(k));
            }
            if let Some(&(_, b)) = chars.peek()
                && let Some(ks) = self.pairs.get(&pair_key(a, b))
            {
                ks.iter().for_each(|&k| emit(k));
            }
        }
        // Leftmost, then longest, within each layer.
        out.sort_unstable_by_key(|h| {
            (self.entries[h.entry].field.layer(), h.start, std::cmp::Reverse(h.end), h.entry)
        });
        // A term listed as a purpose or a control and under another field (`个性化推荐`: a
        // practice and a purpose) keeps both.
        let mut layer = u8::MAX;
        let mut taken: (usize, usize) = (0, 0);
        let mut fields: Vec<Field> = Vec::new();
        out.retain(|h| {
            let field = self.entries[h.entry].field;
            let l = field.layer();
            if l != layer {
                layer = l;
                taken = (0, 0);
                fields.clear();
            }
            if h.start >= taken.1 {
                taken = (h.start, h.end);
                fields.clear();
                fields.push(field);
                true
            } else if (h.start, h.end) == taken
                && !fields.contains(&field)
                && (matches!(field, Field::Purpose | Field::Control)
                    || fields.iter().all(|f| matches!(f, Field::Purpose | Field::Control)))
            {
                fields.push(field);
                true
            } else {
                false
            }
        });
        out.sort_unstable_by_key(|h| (h.start, h.end, h.entry));
    }

    /// Every term in `text`, as [`Lexicon::scan_into`].
    #[cfg(test)]
    pub(crate) fn scan(&self, text: &str) -> Vec<Hit> {
        let mut out = Vec::new();
        self.scan_into(text, &mut out);
        out
    }

    /// The entry of a hit.
    pub(crate) fn entry(&self, hit: &Hit) -> &Entry {
        &self.entries[hit.entry]
    }
}

/// A term in the [`match_text`] form; a term already in that form (lower-case ASCII and CJK
/// ideographs, single spaces, no contraction) is taken as it is. Used for the statement lexicon
/// and the criteria's terms: thousands of them are normalised at every start.
pub(crate) fn matching_form(term: &str) -> String {
    let mut form = String::new();
    append_matching_form(&mut form, term);
    form
}

/// [`matching_form`] of `term`, appended to `out` (copied as it is when already in that form).
fn append_matching_form(out: &mut String, term: &str) {
    let ascii =
        term.bytes().all(|b| matches!(b, b' '..=b'~') && !b.is_ascii_uppercase() && b != b'\'');
    let ideographs = term.chars().all(|c| {
        matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF) && !matches!(c, '你' | '妳')
    });
    if (ascii && !term.contains("  ") && !term.contains("can not") && term.trim() == term)
        || ideographs
    {
        out.push_str(term);
    } else {
        out.push_str(&match_text(term));
    }
}

/// A letter or digit of a Latin-script word (`é`, `ü`, `ß` included; CJK characters are not:
/// Chinese terms match anywhere).
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || c == '_'
        || (!c.is_ascii() && (c as u32) < 0x2E80 && c.is_alphanumeric())
}

/// Whether a match at `start..end` respects word boundaries: a term starting (ending) with a
/// Latin letter or digit may not start (end, unless `prefix`) inside a word.
fn bounded(text: &str, start: usize, end: usize, prefix: bool) -> bool {
    let term = &text[start..end];
    let first = term.chars().next().is_some_and(is_word_char);
    let last = term.chars().next_back().is_some_and(is_word_char);
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
    fn the_json_form_holds_the_values_of_the_toml() {
        // What the build script wrote is what the TOML says, every list in its order.
        let from_toml: LexiconFile = toml::from_str(include_str!("lexicon.toml")).unwrap();
        let from_json: LexiconFile = serde_json::from_str(LEXICON_JSON).unwrap();
        assert_eq!(format!("{from_json:?}"), format!("{from_toml:?}"));
        assert!(from_toml.data.len() > 20, "{} data ids", from_toml.data.len());
    }

    #[test]
    fn the_lexicon_compiles_and_finds_the_longest_term() {
        let lex = &*LEXICON_COMPILED;
        let text = match_text("我们会收集您的手机号码和个人信息安全事件");
        let found: Vec<(Field, &str)> = lex
            .scan(&text)
            .iter()
            .map(|h| (lex.entry(h).field, &text[h.start..h.end]))
            .filter(|(f, _)| f.layer() == 0)
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
        let text =
            match_text("We collect your e-mail address; we gathered it; collectors are not data.");
        let actions: Vec<&str> = lex
            .scan(&text)
            .iter()
            .filter(|h| lex.entry(h).field == Field::Action)
            .map(|h| &text[h.start..h.end])
            .collect();
        // `gather*` is a prefix term: `gathered` is a word starting with it; `collect` is not,
        // so `collectors` names no practice.
        assert_eq!(actions, vec!["collect", "gathered"]);
    }

    #[test]
    fn a_term_under_a_practice_and_a_purpose_keeps_both() {
        let lex = &*LEXICON_COMPILED;
        let text = match_text("我们会通知您");
        let fields: Vec<Field> = lex
            .scan(&text)
            .iter()
            .filter(|h| &text[h.start..h.end] == "通知")
            .map(|h| lex.entry(h).field)
            .collect();
        assert_eq!(fields, vec![Field::Action, Field::Purpose]);
    }
}
