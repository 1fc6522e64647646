//! The declarative criteria: lexicons, patterns, practice categories and rules, read from TOML
//! (`policy/criteria.toml`, or the built-in profile compiled into the binary).
//!
//! A criteria file may say `extends = "builtin"`: it then starts from the built-in profile; a rule
//! with the id of a built-in rule replaces the fields it gives (`level = "off"` switches it off),
//! new rules are appended, a lexicon of the same name gains the listed terms, and `[sections]`
//! pins section ids to categories. Unknown fields are errors naming the line. The schema is
//! documented in the built-in file itself (`src/criteria/builtin.toml`) and in the README.
//!
//! A rule's `[rules.match]` is a set of [`Condition`]s, all of which must hold; each condition
//! has one evaluation (in [`crate::classify`]) and one description ([`Condition::describe`]).

use crate::diff::Evidence;
use crate::error::{Error, Result};
use crate::model::{ChangeKind, Direction, Level, Qualifier};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

/// The built-in profile: the statutory baseline (CN, EU, US signals; zh and en lexicons),
/// without any policy's self-commitments.
pub const BUILTIN_CRITERIA: &str = include_str!("criteria/builtin.toml");

/// [`BUILTIN_CRITERIA`] as JSON, written by the build script from the TOML (which stays the
/// source): the same values, read several times faster in every process that judges.
const BUILTIN_CRITERIA_JSON: &str =
    include_str!(concat!(env!("OUT_DIR"), "/builtin-criteria.json"));

/// The criteria schema this crate reads.
pub const CRITERIA_SCHEMA: &str = "redline.criteria/1";

/// The id of the built-in rule for a wording change that no other rule matches (level `minor`).
pub const OTHER_WORDING: &str = "other-wording";
/// The id of the built-in rule for a wholesale rewrite.
pub const WHOLESALE_REWRITE: &str = "wholesale-rewrite";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CriteriaFile {
    #[serde(default)]
    schema: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    extends: Option<String>,
    #[serde(default)]
    settings: Option<SettingsFile>,
    #[serde(default)]
    lexicons: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    patterns: BTreeMap<String, String>,
    #[serde(default)]
    direction: Option<DirectionFile>,
    #[serde(default)]
    categories: Vec<CategoryFile>,
    #[serde(default)]
    sections: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    rules: Vec<RuleFile>,
}

#[derive(Debug, Deserialize, Clone, Default)]
#[serde(deny_unknown_fields)]
struct SettingsFile {
    wholesale_threshold: Option<f64>,
    notice_lead_days: Option<u32>,
}

#[derive(Debug, Deserialize, Clone, Default)]
#[serde(deny_unknown_fields)]
struct DirectionFile {
    #[serde(default)]
    scope: Vec<String>,
    #[serde(default)]
    limits: Vec<String>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct CategoryFile {
    id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    headings: Vec<String>,
    #[serde(default)]
    terms: Vec<String>,
    #[serde(default)]
    broaden: Option<Level>,
    #[serde(default)]
    practice: Option<bool>,
    #[serde(default)]
    yields_to: Vec<String>,
    #[serde(default)]
    terms_add: Option<bool>,
    #[serde(default)]
    inherited: Option<bool>,
    #[serde(default)]
    covers: Vec<String>,
    #[serde(default)]
    displaced_by: Vec<String>,
}

/// A rule's `level` as written: a level, `category` (the broadening level of the change's
/// practice category) or `off` (the rule is switched off).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleLevel {
    /// The rule is switched off (only in a file that extends a profile, on a rule it has).
    Off,
    /// `editorial`.
    Editorial,
    /// `minor`.
    Minor,
    /// `major`.
    Major,
    /// `reconsent`.
    Reconsent,
    /// The `broaden` level of the change's practice category.
    Category,
}

/// A text given once for every language, or per language tag (`{ en = "…", zh-CN = "…" }`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum LocalisedFile {
    /// One text for every language.
    One(String),
    /// Language tag → text.
    Many(BTreeMap<String, String>),
}

/// A text in several languages: a rule's reason or reference.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Localised(pub BTreeMap<String, String>);

impl Localised {
    fn from_file(file: &LocalisedFile) -> Localised {
        match file {
            LocalisedFile::One(text) => Localised([("en".to_string(), text.clone())].into()),
            LocalisedFile::Many(map) => Localised(map.clone()),
        }
    }

    /// The text for language `lang` (a BCP 47 tag): the exact tag, else one with the same
    /// primary language (`zh` for `zh-CN`), else English, else any.
    pub fn get(&self, lang: &str) -> &str {
        let primary = |tag: &str| tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
        self.0
            .get(lang)
            .or_else(|| self.0.iter().find(|(k, _)| primary(k) == primary(lang)).map(|(_, v)| v))
            .or_else(|| self.0.get("en"))
            .or_else(|| self.0.values().next())
            .map_or("", String::as_str)
    }

    /// Whether a text is given for `lang` itself (or its primary language).
    pub fn has(&self, lang: &str) -> bool {
        let primary = lang.split('-').next().unwrap_or(lang);
        self.0.keys().any(|k| k == lang || k.split('-').next() == Some(primary))
    }
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    id: String,
    title: Option<String>,
    level: Option<RuleLevel>,
    qualifiers: Option<Vec<Qualifier>>,
    reference: Option<LocalisedFile>,
    reason: Option<LocalisedFile>,
    escalate_sensitive: Option<bool>,
    cap: Option<Level>,
    #[serde(rename = "match")]
    when: Option<MatchFile>,
    #[serde(default)]
    examples: Vec<ExampleFile>,
}

impl RuleFile {
    /// Fills the fields this (partial) rule leaves out from `base`, the rule it overrides;
    /// examples add up.
    fn over(&self, base: &RuleFile) -> RuleFile {
        RuleFile {
            id: self.id.clone(),
            title: self.title.clone().or_else(|| base.title.clone()),
            level: self.level.or(base.level),
            qualifiers: self.qualifiers.clone().or_else(|| base.qualifiers.clone()),
            reference: self.reference.clone().or_else(|| base.reference.clone()),
            reason: self.reason.clone().or_else(|| base.reason.clone()),
            escalate_sensitive: self.escalate_sensitive.or(base.escalate_sensitive),
            cap: self.cap.or(base.cap),
            when: self.when.clone().or_else(|| base.when.clone()),
            // Examples written for the base rule no longer hold once its level or conditions
            // change.
            examples: if self.level.is_some() || self.when.is_some() {
                self.examples.clone()
            } else {
                base.examples.iter().chain(&self.examples).cloned().collect()
            },
        }
    }
}

/// One example a rule carries: two texts and the level their comparison must reach
/// (`redline rules --test` runs them).
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct ExampleFile {
    #[serde(default)]
    section: Option<String>,
    old: String,
    new: String,
    level: Level,
}

/// A rule's example: `old` and `new` are Markdown (a bare paragraph is placed in a section,
/// with `section` as its id when given); comparing them under the profile must give `level`
/// and a finding of this rule.
#[derive(Debug, Clone, Serialize)]
pub struct Example {
    /// The section id the texts are placed in, if any.
    pub section: Option<String>,
    /// The old text.
    pub old: String,
    /// The new text.
    pub new: String,
    /// The level the comparison must give.
    pub level: Level,
}

#[derive(Debug, Deserialize, Serialize, Clone, Default)]
#[serde(deny_unknown_fields)]
struct MatchFile {
    #[serde(default)]
    changes: Vec<ChangeKind>,
    #[serde(default)]
    sections: Vec<String>,
    #[serde(default)]
    categories: Vec<String>,
    #[serde(default)]
    not_categories: Vec<String>,
    #[serde(default)]
    tables: Vec<String>,
    #[serde(default)]
    not_tables: Vec<String>,
    #[serde(default)]
    in_table: Option<bool>,
    #[serde(default)]
    columns: Vec<String>,
    #[serde(default)]
    directions: Vec<Direction>,
    #[serde(default)]
    evidence: Vec<Evidence>,
    #[serde(default)]
    text: Vec<String>,
    #[serde(default)]
    not_text: Vec<String>,
    #[serde(default)]
    added: Vec<String>,
    #[serde(default)]
    removed: Vec<String>,
    #[serde(default)]
    lost: Vec<String>,
    #[serde(default)]
    gained: Vec<String>,
    #[serde(default)]
    added_to_document: Vec<String>,
    #[serde(default)]
    removed_from_document: Vec<String>,
    #[serde(default)]
    path_added: Vec<String>,
    #[serde(default)]
    emphasis_removed: Vec<String>,
    #[serde(default)]
    duration: Option<DurationChange>,
    #[serde(default)]
    rewritten: Option<bool>,
    #[serde(default)]
    statements: Vec<DeltaKind>,
    #[serde(default)]
    actions: Vec<String>,
    #[serde(default)]
    data: Vec<String>,
    #[serde(default)]
    recipients: Vec<String>,
    #[serde(default)]
    purposes: Vec<String>,
    #[serde(default)]
    unmatched: Option<bool>,
    #[serde(default)]
    wholesale: Option<bool>,
    #[serde(default)]
    language_changed: Option<bool>,
    #[serde(default)]
    degenerate: Option<bool>,
}

/// How the durations named in a change moved (retention periods, response times).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DurationChange {
    /// A period got longer, or a period appeared where there was none.
    Longer,
    /// A period got shorter.
    Shorter,
    /// A period was removed or swapped for a criterion (direction unknown).
    Removed,
}

/// The level a compiled rule assigns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelSpec {
    /// A fixed level.
    Fixed(Level),
    /// The broadening level of the change's practice category.
    Category,
}

impl std::fmt::Display for LevelSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LevelSpec::Fixed(l) => write!(f, "{l}"),
            LevelSpec::Category => f.write_str("category"),
        }
    }
}

/// Every literal term and pattern of one criteria set. The terms are compiled into a single
/// automaton on first use, shared by all the criteria's [`TermSet`]s: one build instead of one per
/// rule condition (start-up time counts; the diff benchmark times whole processes).
#[derive(Debug, Default)]
pub struct Registry {
    entries: Mutex<Vec<(String, bool)>>,
    index: Mutex<HashMap<(String, bool), usize>>,
    automaton: OnceLock<(AhoCorasick, Vec<(String, bool)>)>,
    patterns: Mutex<HashMap<String, Arc<Regex>>>,
}

impl Registry {
    /// The id of a normalised term (`prefix`: it matches any word starting with it).
    fn register(&self, term: String, prefix: bool) -> usize {
        let mut index = self.index.lock().expect("registry lock");
        if let Some(&id) = index.get(&(term.clone(), prefix)) {
            return id;
        }
        let mut entries = self.entries.lock().expect("registry lock");
        entries.push((term.clone(), prefix));
        index.insert((term, prefix), entries.len() - 1);
        entries.len() - 1
    }

    /// The ids of `terms` (a trailing `*` allows any word ending), registering each in its
    /// matching form; terms empty in that form are left out.
    fn register_terms(&self, terms: &[String]) -> Vec<usize> {
        terms
            .iter()
            .filter_map(|t| {
                let (t, prefix) = match t.strip_suffix('*') {
                    Some(t) => (t, true),
                    None => (t.as_str(), false),
                };
                let t = crate::statements::lexicon::matching_form(t);
                (!t.is_empty()).then(|| self.register(t, prefix))
            })
            .collect()
    }

    /// The automaton over every registered term, and the terms by id. Built once; terms
    /// registered later are not searched (all are registered while the criteria compile).
    fn automaton(&self) -> &(AhoCorasick, Vec<(String, bool)>) {
        self.automaton.get_or_init(|| {
            let entries = self.entries.lock().expect("registry lock").clone();
            let patterns: Vec<&str> = entries.iter().map(|(t, _)| t.as_str()).collect();
            let ac = AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                // Built in every process that judges a change, and searched only over short
                // texts (headings, changed blocks): the plain NFA builds fastest, and with only
                // its start state dense (the default makes every state up to depth 3 dense: for
                // thousands of Chinese terms, megabytes of tables that took most of the build).
                .kind(Some(AhoCorasickKind::NoncontiguousNFA))
                .dense_depth(1)
                .build(&patterns)
                .expect("lexicon automaton");
            (ac, entries)
        })
    }

    /// A compiled regular expression, shared by every set that uses it.
    fn pattern(&self, source: &str) -> Arc<Regex> {
        let mut cache = self.patterns.lock().expect("registry lock");
        cache
            .entry(source.to_string())
            .or_insert_with(|| Arc::new(Regex::new(source).expect("validated pattern")))
            .clone()
    }
}

/// A set of terms and patterns, matched against [`match_text`](crate::normalize::match_text)-normalised text.
#[derive(Debug)]
pub struct TermSet {
    registry: Arc<Registry>,
    /// Ids of the set's terms in the registry, sorted.
    ids: Vec<usize>,
    raw_patterns: Vec<String>,
    patterns: OnceLock<Vec<Arc<Regex>>>,
}

impl TermSet {
    /// A set of literal `terms` (a trailing `*` allows any word ending) and regular expressions,
    /// with its own registry. Patterns must already be validated (see [`validate_pattern`]).
    pub fn new(terms: Vec<String>, patterns: Vec<String>) -> TermSet {
        TermSet::in_registry(Arc::new(Registry::default()), &terms, patterns)
    }

    /// A set whose terms join `registry` (so all sets of a criteria share one automaton).
    pub fn in_registry(
        registry: Arc<Registry>,
        terms: &[String],
        patterns: Vec<String>,
    ) -> TermSet {
        let ids = registry.register_terms(terms);
        TermSet::with_ids(registry, ids, patterns)
    }

    /// A set of terms already in `registry` (by id, in any order, repeats allowed).
    fn with_ids(registry: Arc<Registry>, mut ids: Vec<usize>, patterns: Vec<String>) -> TermSet {
        ids.sort_unstable();
        ids.dedup();
        TermSet { registry, ids, raw_patterns: patterns, patterns: OnceLock::new() }
    }

    fn patterns(&self) -> &[Arc<Regex>] {
        self.patterns
            .get_or_init(|| self.raw_patterns.iter().map(|p| self.registry.pattern(p)).collect())
    }

    /// Whether the set is empty (matches nothing).
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty() && self.raw_patterns.is_empty()
    }

    /// Counts occurrences per matched term (literal terms by their lexicon spelling; patterns by
    /// the text they matched) in `text`, which must be [`match_text`](crate::normalize::match_text)-normalised. Latin terms
    /// match whole words; a lexicon entry ending in `*` matches any word starting with it. Where
    /// terms overlap, the leftmost, then the longest, counts (`位置权限` rather than `位置`).
    pub fn counts(&self, text: &str) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        if !self.ids.is_empty() {
            let (ac, entries) = self.registry.automaton();
            let mut found: Vec<(usize, usize, usize)> = ac
                .find_overlapping_iter(text)
                .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
                .filter(|&(start, end, id)| {
                    self.ids.binary_search(&id).is_ok() && {
                        let (term, prefix) = &entries[id];
                        word_bounded(text, start, end, term, *prefix)
                    }
                })
                .collect();
            found.sort_unstable_by_key(|&(start, end, _)| (start, std::cmp::Reverse(end)));
            let mut taken_to = 0;
            for (start, end, id) in found {
                if start >= taken_to {
                    *out.entry(entries[id].0.clone()).or_insert(0) += 1;
                    taken_to = end;
                }
            }
        }
        for re in self.patterns() {
            for m in re.find_iter(text) {
                *out.entry(name_after_function_words(m.as_str()).to_string()).or_insert(0) += 1;
            }
        }
        out
    }

    /// Occurrences in `text` of one `term` this set reported from [`TermSet::counts`] (a
    /// lexicon term, or the literal text a pattern matched), with the same word-boundary rules.
    /// Much cheaper than [`TermSet::counts`] over a whole document when only a few terms matter.
    pub fn count_term(&self, text: &str, term: &str) -> usize {
        if term.is_empty() {
            return 0;
        }
        let entries = self.registry.entries.lock().expect("registry lock");
        let prefix =
            self.ids.iter().map(|&id| &entries[id]).find(|(t, _)| t == term).map(|(_, p)| *p);
        drop(entries);
        match prefix {
            Some(prefix) => text
                .match_indices(term)
                .filter(|(at, _)| word_bounded(text, *at, at + term.len(), term, prefix))
                .count(),
            None => text.matches(term).count(),
        }
    }

    /// Whether any term occurs in `text` ([`match_text`](crate::normalize::match_text)-normalised).
    pub fn any(&self, text: &str) -> bool {
        !self.counts(text).is_empty()
    }
}

/// A pattern's match of several words from the last function word on left out: a name pattern
/// that takes the words before a legal form (`[a-z]+ ){1,4}ltd`) reads `write to example ltd`
/// and `com or to example ltd` as the same name, `example ltd`.
fn name_after_function_words(matched: &str) -> &str {
    const FUNCTION_WORDS: [&str; 14] = [
        "to", "or", "and", "by", "from", "with", "at", "via", "write", "contact", "the", "is",
        "are", "of",
    ];
    let mut start = 0;
    let mut at = 0;
    for word in matched.split(' ') {
        at += word.len() + 1;
        if at >= matched.len() {
            break;
        }
        if FUNCTION_WORDS.contains(&word) {
            start = at;
        }
    }
    &matched[start..]
}

/// Whether a match of `term` at `start..end` respects word boundaries: a Latin term may not
/// start or (unless `prefix`) end inside a word.
fn word_bounded(text: &str, start: usize, end: usize, term: &str, prefix: bool) -> bool {
    let before = is_latin_edge(term.chars().next())
        && text[..start].chars().next_back().is_some_and(is_word_char);
    let after = !prefix
        && is_latin_edge(term.chars().next_back())
        && text[end..].chars().next().is_some_and(is_word_char);
    !before && !after
}

/// Checks that `pattern` is a valid regular expression without compiling an automaton.
///
/// Errors: the parser's message.
pub fn validate_pattern(pattern: &str) -> std::result::Result<(), String> {
    regex_syntax::Parser::new()
        .parse(pattern)
        .map(|_| ())
        .map_err(|e| e.to_string().lines().last().unwrap_or("").trim().to_string())
}

fn is_latin_edge(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric())
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// What a change did to the statements of the policy (see [`crate::statements`]): the
/// kinds a rule's `statements = [...]` condition names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeltaKind {
    /// A kind of personal information the old policy never said it processes.
    NewData,
    /// A recipient (or kind of recipient) the old policy never gave personal information to.
    NewRecipient,
    /// Personal information given to a recipient the old policy never gave that information to
    /// (each word may occur elsewhere; the combination is new).
    NewSharing,
    /// A purpose the old policy never stated.
    NewPurpose,
    /// Personal information obtained from a source the old policy never named (a kind of
    /// party, or public sources).
    NewSource,
    /// Personal information sent abroad where the old policy sent none.
    NewAbroad,
    /// Personal information kept in or sent to a country or region the old policy never
    /// named (`servers in Germany` → `servers in the United States`).
    NewDestination,
    /// A kind of processing the old policy never stated (sale, public disclosure, profiling).
    NewPractice,
    /// A list of data, purposes or recipients that was closed is now open (`包括但不限于`,
    /// `such as`).
    Opened,
    /// A promise that something does not happen was removed and is not made elsewhere.
    PromiseRemoved,
    /// A promise that something does not happen now says it happens.
    NegationFlipped,
    /// A consent condition was removed from a practice.
    ConditionRemoved,
    /// A legal limit was removed from a practice: information the policy processed or gave to
    /// others only as the law requires or permits (`as required or permitted by law`, `依法`)
    /// is now processed or given without that limit.
    LimitRemoved,
    /// A way for users to control a practice (withdraw, opt out, switch off, delete) was
    /// removed and is not offered elsewhere.
    ControlRemoved,
    /// The youngest age the policy accepts users at, or treats as an adult at, was lowered
    /// (`not intended for children under 16` → `under 13`): children the policy kept out or
    /// protected are now in.
    AgeLowered,
    /// A new promise that something does not happen.
    PromiseAdded,
    /// A practice the old policy stated is no longer stated anywhere.
    PracticeRemoved,
    /// A consent condition was added to a practice.
    ConditionAdded,
    /// A way for users to control a practice was added.
    ControlAdded,
    /// A contact channel (e-mail, phone, address, web form) appeared where the policy had none
    /// of that kind.
    ChannelAdded,
    /// A contact channel was removed and not replaced.
    ChannelRemoved,
    /// A contact channel was replaced by another (also when only a `mailto:` or link target
    /// changed).
    ChannelReplaced,
}

impl DeltaKind {
    /// Whether the delta widens what the policy allows (`broaden`) rather than narrowing it.
    pub fn broadens(self) -> bool {
        matches!(
            self,
            DeltaKind::NewData
                | DeltaKind::NewRecipient
                | DeltaKind::NewSharing
                | DeltaKind::NewPurpose
                | DeltaKind::NewSource
                | DeltaKind::NewAbroad
                | DeltaKind::NewDestination
                | DeltaKind::NewPractice
                | DeltaKind::Opened
                | DeltaKind::PromiseRemoved
                | DeltaKind::NegationFlipped
                | DeltaKind::ConditionRemoved
                | DeltaKind::LimitRemoved
                | DeltaKind::ControlRemoved
                | DeltaKind::AgeLowered
        )
    }

    /// Whether the delta narrows what the policy allows.
    pub fn narrows(self) -> bool {
        matches!(
            self,
            DeltaKind::PromiseAdded
                | DeltaKind::PracticeRemoved
                | DeltaKind::ConditionAdded
                | DeltaKind::ControlAdded
        )
    }

    /// Whether the delta is about a contact channel.
    pub fn is_channel(self) -> bool {
        matches!(
            self,
            DeltaKind::ChannelAdded | DeltaKind::ChannelRemoved | DeltaKind::ChannelReplaced
        )
    }

    /// The snake_case spelling used in criteria files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            DeltaKind::NewData => "new_data",
            DeltaKind::NewRecipient => "new_recipient",
            DeltaKind::NewSharing => "new_sharing",
            DeltaKind::NewPurpose => "new_purpose",
            DeltaKind::NewSource => "new_source",
            DeltaKind::NewAbroad => "new_abroad",
            DeltaKind::NewDestination => "new_destination",
            DeltaKind::NewPractice => "new_practice",
            DeltaKind::Opened => "opened",
            DeltaKind::PromiseRemoved => "promise_removed",
            DeltaKind::NegationFlipped => "negation_flipped",
            DeltaKind::ConditionRemoved => "condition_removed",
            DeltaKind::LimitRemoved => "limit_removed",
            DeltaKind::ControlRemoved => "control_removed",
            DeltaKind::AgeLowered => "age_lowered",
            DeltaKind::PromiseAdded => "promise_added",
            DeltaKind::PracticeRemoved => "practice_removed",
            DeltaKind::ConditionAdded => "condition_added",
            DeltaKind::ControlAdded => "control_added",
            DeltaKind::ChannelAdded => "channel_added",
            DeltaKind::ChannelRemoved => "channel_removed",
            DeltaKind::ChannelReplaced => "channel_replaced",
        }
    }
}

/// The statement part of a rule's conditions: a delta of one of `kinds` whose statement has one
/// of `actions`, concerns one of `data`, goes to one of `recipients` and serves one of
/// `purposes` (an empty list allows any). Vocabulary ids as in `docs/statements.md`; in `data`,
/// `sensitive` stands for every sensitive kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatementMatch {
    /// Delta kinds.
    pub kinds: Vec<DeltaKind>,
    /// Action ids.
    pub actions: Vec<String>,
    /// Data ids (or `sensitive`).
    pub data: Vec<String>,
    /// Recipient ids (or `named` for any `org:` / `sdk:` name).
    pub recipients: Vec<String>,
    /// Purpose ids.
    pub purposes: Vec<String>,
}

/// One condition of a rule; a rule matches a change when all its conditions hold.
#[derive(Debug, Clone)]
pub enum Condition {
    /// `changes`: the change is of one of these kinds.
    Changes(Vec<ChangeKind>),
    /// `sections`: the change's section, or one of its ancestors, has one of these ids.
    Sections(Vec<String>),
    /// `categories`: the change's section is in one of these practice categories.
    Categories(Vec<String>),
    /// `not_categories`: the change's section is in none of these categories.
    NotCategories(Vec<String>),
    /// `tables`: the change is a table row whose header contains one of these terms.
    Tables(Arc<TermSet>),
    /// `not_tables`: the change is not a row of a table whose header contains one of these.
    NotTables(Arc<TermSet>),
    /// `in_table`: the change is (`true`) or is not (`false`) a table row.
    InTable(bool),
    /// `columns`: every changed column of a modified row has a header with one of these terms.
    Columns(Arc<TermSet>),
    /// `directions`: the change's direction is one of these.
    Directions(Vec<Direction>),
    /// `evidence`: the change is editorial for one of these reasons. A rule without this
    /// condition never matches an editorial change.
    Evidence(Vec<Evidence>),
    /// `text`: the change's text contains one of these terms.
    Text(Arc<TermSet>),
    /// `not_text`: the change's old and new text contain none of these terms.
    NotText(Arc<TermSet>),
    /// `added`: a term occurs more often in the new text than in the old, and in the new
    /// document than in the old.
    Added(Arc<TermSet>),
    /// `removed`: a term occurs less often in the new text than in the old, and in the new
    /// document than in the old.
    Removed(Arc<TermSet>),
    /// `lost`: as `removed`, and the terms together occur less often in the new text than in
    /// the old: one term swapped for another of the list (`free of charge` → `at no cost`) is no
    /// loss.
    Lost(Arc<TermSet>),
    /// `gained`: as `added`, and the terms together occur more often in the new text than in
    /// the old: one term swapped for another of the list (`默认开启` → `默认打开`) is no gain.
    Gained(Arc<TermSet>),
    /// `added_to_document`: a term of the new text that the old document never mentions.
    AddedToDocument(Arc<TermSet>),
    /// `removed_from_document`: a term of the old text the new document no longer mentions.
    RemovedFromDocument(Arc<TermSet>),
    /// `path_added`: the change's heading path gained one of these terms (a move into a
    /// section with another role).
    PathAdded(Arc<TermSet>),
    /// `emphasis_removed`: bold or italics were removed from text containing one of these.
    EmphasisRemoved(Arc<TermSet>),
    /// `duration`: the periods named in the change moved this way.
    Duration(DurationChange),
    /// `rewritten`: the edit kept less than half of the clause's words (`true`) or more.
    Rewritten(bool),
    /// `statements` with `actions`, `data`, `recipients`, `purposes`: a statement delta of the
    /// change fits.
    Statement(StatementMatch),
    /// `unmatched = true`: no other rule matched the change and it is not editorial (the
    /// fallback rule `other-wording`).
    Unmatched,
    /// `wholesale = true` (whole comparison): more than `settings.wholesale_threshold` of the
    /// old text found no counterpart in the new one.
    Wholesale,
    /// `language_changed = true` (whole comparison, a guard): the two versions are written in
    /// different languages.
    LanguageChanged,
    /// `degenerate = true` (whole comparison, a guard): the new version is an error page or a
    /// fragment of the old one.
    Degenerate,
}

impl Condition {
    /// Whether the condition is about the whole comparison rather than one change.
    pub fn is_document_level(&self) -> bool {
        matches!(self, Condition::Wholesale | Condition::LanguageChanged | Condition::Degenerate)
    }

    /// Whether the condition is a guard: when a guard rule matches, its finding is the only one.
    pub fn is_guard(&self) -> bool {
        matches!(self, Condition::LanguageChanged | Condition::Degenerate)
    }

    /// What the condition tests, in one English sentence (`redline rules --explain`).
    pub fn describe(&self) -> String {
        let list = |v: &[String]| v.join(", ");
        match self {
            Condition::Changes(k) => format!(
                "the change is one of: {}",
                k.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
            ),
            Condition::Sections(s) => format!("the change is in section {} or below", list(s)),
            Condition::Categories(c) => format!("the section is about {}", list(c)),
            Condition::NotCategories(c) => format!("the section is not about {}", list(c)),
            Condition::Tables(_) => "the change is a row of a table whose header names one of the terms".into(),
            Condition::NotTables(_) => "the change is not a row of a table whose header names one of the terms".into(),
            Condition::InTable(true) => "the change is a table row".into(),
            Condition::InTable(false) => "the change is not a table row".into(),
            Condition::Columns(_) => "every changed cell is in a column whose header names one of the terms".into(),
            Condition::Directions(d) => format!(
                "the change's direction is {}",
                d.iter().map(|d| d.as_str()).collect::<Vec<_>>().join(" or ")
            ),
            Condition::Evidence(e) => format!(
                "the change is editorial because of {}",
                e.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(" or ")
            ),
            Condition::Text(_) => "the changed text contains one of the terms".into(),
            Condition::NotText(_) => "neither the old nor the new text contains any of the terms".into(),
            Condition::Added(_) => "a term occurs more often after the change, in the clause and in the document".into(),
            Condition::Removed(_) => "a term occurs less often after the change, in the clause (outside its examples) and in the document".into(),
            Condition::Lost(_) => "a term occurs less often after the change, in the clause (outside its examples) and in the document, and the terms together occur less often in the clause".into(),
            Condition::Gained(_) => "a term occurs more often after the change, in the clause and in the document, and the terms together occur more often in the clause".into(),
            Condition::AddedToDocument(_) => "the new text names a term the old document never mentions".into(),
            Condition::RemovedFromDocument(_) => "the old text names a term the new document no longer mentions".into(),
            Condition::PathAdded(_) => "the change moved under a heading that names one of the terms".into(),
            Condition::EmphasisRemoved(_) => "bold or italics were removed from text naming one of the terms".into(),
            Condition::Duration(d) => format!("a period named in the change got {}", match d {
                DurationChange::Longer => "longer",
                DurationChange::Shorter => "shorter",
                DurationChange::Removed => "replaced by an open criterion",
            }),
            Condition::Rewritten(true) => "the edit kept less than half of the clause's words".into(),
            Condition::Rewritten(false) => "the edit kept at least half of the clause's words".into(),
            Condition::Statement(m) => {
                let mut s = format!(
                    "a statement of the change is {}",
                    m.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(" or ")
                );
                for (what, v) in [("action", &m.actions), ("data", &m.data), ("recipient", &m.recipients), ("purpose", &m.purposes)] {
                    if !v.is_empty() {
                        s.push_str(&format!(", {what} {}", v.join(" or ")));
                    }
                }
                s
            }
            Condition::Unmatched => "the change is not editorial and no other rule matched it".into(),
            Condition::Wholesale => "more than the wholesale threshold of the old text found no counterpart in the new one".into(),
            Condition::LanguageChanged => "the two versions are written in different languages".into(),
            Condition::Degenerate => "the new version is an error page or a fragment of the old one".into(),
        }
    }
}

/// One declarative rule (criterion).
#[derive(Debug, Clone)]
pub struct Rule {
    /// Stable id (`new-sdk-ads`).
    pub id: String,
    /// One-line title.
    pub title: String,
    /// The level it assigns.
    pub level: LevelSpec,
    /// Qualifiers it adds.
    pub qualifiers: Vec<Qualifier>,
    /// The clause or law behind it, per language ("PIPL art. 23" / "《个人信息保护法》第二十三条").
    pub reference: Localised,
    /// The finding's reason per language; `{terms}` is replaced with what matched and
    /// `{statement}` with the clause quoted.
    pub reason: Localised,
    /// A broadening that touches sensitive data becomes `reconsent` + `separate`, children's
    /// data + `guardian` (PIPL art. 28, 29, 31).
    pub escalate_sensitive: bool,
    /// When it matches, the change's level is at most this (a disclosure required by law needs
    /// notice, not consent: PIPL art. 13(1)(3)).
    pub cap: Option<Level>,
    /// Its conditions, all of which must hold.
    pub when: Vec<Condition>,
    /// Its conditions as written in the criteria file (`added = ["@email", "@phone"]`), one
    /// per line, for `redline rules --explain`.
    pub conditions: Vec<String>,
    /// Examples that prove it (`redline rules --test`).
    pub examples: Vec<Example>,
    /// Where it was defined: the criteria file and the 1-based line of its `id`.
    pub defined: (String, usize),
}

impl Rule {
    /// Whether the rule judges the whole comparison (a guard or the wholesale check) rather
    /// than one change.
    pub fn is_document_level(&self) -> bool {
        self.when.iter().any(Condition::is_document_level)
    }

    /// Whether the rule is a guard: when it matches, its finding is the only one.
    pub fn is_guard(&self) -> bool {
        self.when.iter().any(Condition::is_guard)
    }

    /// Whether the rule is the fallback for changes no other rule matched.
    pub fn is_fallback(&self) -> bool {
        self.when.iter().any(|c| matches!(c, Condition::Unmatched))
    }

    /// The editorial evidence the rule looks at (empty: it never matches an editorial change).
    pub fn evidence(&self) -> &[Evidence] {
        self.when
            .iter()
            .find_map(|c| match c {
                Condition::Evidence(e) => Some(e.as_slice()),
                _ => None,
            })
            .unwrap_or(&[])
    }
}

/// A practice category (`collection`, `sharing`, …).
#[derive(Debug, Clone)]
pub struct Category {
    /// Stable id.
    pub id: String,
    /// Human title.
    pub title: String,
    /// Heading terms that put a section in the category.
    pub headings: Arc<TermSet>,
    /// Block terms that signal the category (used by `map` and for sections without headings).
    pub terms: Arc<TermSet>,
    /// Level of a broadening change in this category.
    pub broaden: Option<Level>,
    /// Whether it is one of the practice categories `map` reports.
    pub practice: bool,
    /// Categories this one gives way to in a heading: when a heading's terms name both, only
    /// the other applies (`收集和使用` is collection, `更新您的个人信息` is a right, not a policy
    /// change).
    pub yields_to: Vec<String>,
    /// Whether the category's `terms` add it to a block inside a section of another category
    /// (`map`); otherwise its terms only categorise text outside any categorised section.
    pub terms_add: bool,
    /// Whether a heading in this category puts every subsection in it too, whatever their own
    /// headings say (`map`: a children's policy appended to the main one is about minors
    /// throughout).
    pub inherited: bool,
    /// Categories a subsection heading may name and still stay in this one (`map`): under a
    /// heading in this category, a subsection whose heading names only categories listed here
    /// keeps this category instead (the subheadings of a collection chapter name the features
    /// and purposes information is collected for, `为您提供安全保障`; those of a rights chapter
    /// name the rights, `撤回授权`).
    pub covers: Vec<String>,
    /// Categories that displace this one from a sentence (`map`): a sentence whose own terms
    /// signal one of these and not this one does not take this category from its section (a
    /// permission listed in a collection chapter is about the permission).
    pub displaced_by: Vec<String>,
}

/// The active rule set.
#[derive(Debug, Clone)]
pub struct Criteria {
    /// Profile name shown in reports (`builtin`, or the file's `name`).
    pub name: String,
    /// Where it came from (`builtin` or the file path).
    pub source: String,
    /// Description.
    pub description: String,
    /// Rules in file order (built-in rules first when extending); rules switched off are left
    /// out.
    pub rules: Vec<Rule>,
    /// Practice categories.
    pub categories: Vec<Category>,
    /// Section id → category ids, pinned by the file.
    pub sections: BTreeMap<String, Vec<String>>,
    /// Lexicons by name (compiled on first use).
    pub lexicons: BTreeMap<String, Arc<TermSet>>,
    /// Patterns by name (`email`, `phone`, `url`, `company`) as one-pattern sets, matched
    /// against [`match_text`](crate::normalize::match_text)-normalised text.
    pub patterns: BTreeMap<String, Arc<TermSet>>,
    /// Terms whose addition widens and whose removal narrows a disclosure.
    pub direction_scope: Arc<TermSet>,
    /// Terms whose addition narrows and whose removal widens (negation, limits, consent).
    pub direction_limits: Arc<TermSet>,
    /// Share of unaligned old text above which a diff is a wholesale rewrite (default 0.3).
    pub wholesale_threshold: f64,
    /// Minimum days between the update date and the effective date for a major release (7).
    pub notice_lead_days: u32,
    /// The texts it was compiled from, lowest layer first: (label, TOML text).
    pub layers: Vec<(String, String)>,
    /// The registry every term set of these criteria shares (see [`Criteria::prepare`]).
    registry: Arc<Registry>,
}

struct Raw {
    file: CriteriaFile,
    text: String,
    path: String,
    lines: std::collections::HashMap<String, usize>,
}

impl Raw {
    fn new(file: CriteriaFile, text: &str, path: &str) -> Raw {
        Raw { file, text: text.to_string(), path: path.to_string(), lines: rule_lines(text) }
    }
}

impl Criteria {
    /// The built-in profile.
    pub fn builtin() -> Criteria {
        compile(vec![Raw::new(builtin_file(), BUILTIN_CRITERIA, "builtin")])
            .unwrap_or_else(|e| panic!("the built-in criteria are invalid: {e}"))
    }

    /// Loads a criteria file.
    ///
    /// Errors: the file is unreadable, not UTF-8, invalid TOML, has an unknown field, or refers
    /// to a lexicon, category or level that does not exist; each names the file and line.
    pub fn load(path: &Path) -> Result<Criteria> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, &e))?;
        let label = path.display().to_string();
        let text = crate::text::decode(&label, &bytes)?;
        Criteria::from_str(&label, &text)
    }

    /// Parses criteria from TOML `text`; `path` labels messages. A file that says
    /// `extends = "builtin"` is compiled on top of the built-in profile.
    pub fn from_str(path: &str, text: &str) -> Result<Criteria> {
        let file: CriteriaFile = toml::from_str(text).map_err(|e| Error::toml(path, text, &e))?;
        let raw = Raw::new(file, text, path);
        match raw.file.extends.as_deref() {
            None => compile(vec![raw]),
            Some("builtin") => {
                let base = Raw::new(builtin_file(), BUILTIN_CRITERIA, "builtin");
                compile(vec![base, raw])
            }
            Some(other) => Err(locate(
                path,
                text,
                "extends",
                format!("unknown profile `{other}` in `extends`; the only one is \"builtin\""),
            )),
        }
    }

    /// Compiles criteria from the texts of their layers, in order, exactly as [`Criteria::from_str`]
    /// compiles a file and the profile it extends: `[("builtin", <built-in text>), ("policy/criteria.toml",
    /// <its text>)]`, or one layer. A release stores these texts beside its sources, so the level
    /// can be computed again later from the very criteria it was judged with. The built-in layer
    /// must be labelled `builtin`.
    ///
    /// Errors: no layer, or a layer that does not parse or compile (naming its label and line).
    pub fn from_layers(layers: &[(String, String)]) -> Result<Criteria> {
        if layers.is_empty() {
            return Err(Error::Config {
                path: "criteria".to_string(),
                message: "no criteria layer to compile".to_string(),
            });
        }
        let mut raws = Vec::with_capacity(layers.len());
        for (label, text) in layers {
            // A release judged with this redline's built-in profile stores its very text.
            let file: CriteriaFile = if label == "builtin" && text == BUILTIN_CRITERIA {
                builtin_file()
            } else {
                toml::from_str(text).map_err(|e| Error::toml(label, text, &e))?
            };
            raws.push(Raw::new(file, text, label));
        }
        compile(raws)
    }

    /// Builds now what the criteria otherwise build on first use: the automaton over all their
    /// terms (every set shares it). A caller that loads the criteria on one thread while it
    /// reads the documents on another calls this on the first.
    pub fn prepare(&self) {
        self.registry.automaton();
    }

    /// The rule with `id`.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The category with `id`.
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }
}

/// The built-in profile's file, read from its JSON form ([`BUILTIN_CRITERIA_JSON`]).
///
/// Panics when it does not deserialize (a field the build script cannot check); the message
/// then comes from the TOML, with its line.
fn builtin_file() -> CriteriaFile {
    serde_json::from_str(BUILTIN_CRITERIA_JSON).unwrap_or_else(|json_error| {
        match toml::from_str::<CriteriaFile>(BUILTIN_CRITERIA) {
            Err(e) => panic!("src/criteria/builtin.toml is invalid: {e}"),
            Ok(_) => panic!("the JSON form of the built-in criteria is invalid: {json_error}"),
        }
    })
}

/// An error at the first line of `text` that mentions `needle`.
fn locate(path: &str, text: &str, needle: &str, message: String) -> Error {
    let (line, column) = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim_start().starts_with('#'))
        .find_map(|(i, l)| l.find(needle).map(|c| (i + 1, l[..c].chars().count() + 1)))
        .unwrap_or((1, 1));
    Error::Toml { path: path.to_string(), line, column, message }
}

/// An error at the line of rule `id`'s definition in `layer`.
fn at_rule(layer: &Raw, id: &str, message: String) -> Error {
    locate(&layer.path, &layer.text, &format!("\"{id}\""), message)
}

/// Checks what serde cannot: the schema name, a file that would silently judge nothing, rule ids
/// defined twice, settings out of range, empty or self-referring lexicon entries, patterns that
/// match empty text.
fn validate_layer(layer: &Raw) -> Result<()> {
    let f = &layer.file;
    let at = |needle: &str, message: String| locate(&layer.path, &layer.text, needle, message);
    if let Some(schema) = &f.schema
        && schema != CRITERIA_SCHEMA
    {
        return Err(at(
            "schema",
            format!("unknown schema `{schema}`; this redline reads `{CRITERIA_SCHEMA}`"),
        ));
    }
    if f.extends.is_none() && f.rules.is_empty() {
        return Err(Error::Toml {
            path: layer.path.clone(),
            line: 1,
            column: 1,
            message: "defines no rules, so every change would be judged by `other-wording` alone; start the file with `extends = \"builtin\"` or add [[rules]]".to_string(),
        });
    }
    let mut seen = std::collections::HashSet::new();
    for r in &f.rules {
        if !seen.insert(r.id.as_str()) {
            let lines: Vec<usize> = layer
                .text
                .lines()
                .enumerate()
                .filter(|(_, l)| {
                    l.trim_start().starts_with("id") && l.contains(&format!("\"{}\"", r.id))
                })
                .map(|(n, _)| n + 1)
                .collect();
            let line = lines.get(1).copied().unwrap_or(1);
            return Err(Error::Toml {
                path: layer.path.clone(),
                line,
                column: 1,
                message: format!(
                    "rule `{}` is defined twice in this file (also at line {}); give one of them another id",
                    r.id,
                    lines.first().copied().unwrap_or(1)
                ),
            });
        }
    }
    if let Some(t) = f.settings.as_ref().and_then(|s| s.wholesale_threshold)
        && !(t > 0.0 && t <= 1.0)
    {
        return Err(at(
            "wholesale_threshold",
            format!(
                "wholesale_threshold is {t}; it is a share of the text, above 0 and at most 1 (default 0.3)"
            ),
        ));
    }
    for (name, terms) in &f.lexicons {
        if let Some(bad) = terms.iter().find(|t| t.trim().is_empty() || t.starts_with('@')) {
            let what = if bad.trim().is_empty() {
                "an empty term".to_string()
            } else {
                format!("`{bad}`")
            };
            return Err(at(
                &format!("{name} ="),
                format!(
                    "lexicon `{name}` lists {what}; a lexicon holds terms (references with @ belong in rule conditions)"
                ),
            ));
        }
    }
    for (name, pattern) in &f.patterns {
        let matches_empty = regex_syntax::Parser::new()
            .parse(pattern)
            .map(|hir| hir.properties().minimum_len() == Some(0))
            .unwrap_or(false);
        if matches_empty {
            return Err(at(
                &format!("{name} ="),
                format!(
                    "pattern `{name}` matches empty text, so it would match every change; make it require at least one character"
                ),
            ));
        }
    }
    Ok(())
}

/// The 1-based line of every `id = "…"` line in a criteria file, by id (one pass over the text).
fn rule_lines(text: &str) -> std::collections::HashMap<String, usize> {
    let mut lines = std::collections::HashMap::new();
    for (i, l) in text.lines().enumerate() {
        let l = l.trim_start();
        if let Some(rest) = l.strip_prefix("id")
            && let Some(value) = rest.trim_start().strip_prefix('=')
            && let Some(id) = value.trim().strip_prefix('"').and_then(|v| v.strip_suffix('"'))
        {
            lines.entry(id.to_string()).or_insert(i + 1);
        }
    }
    lines
}

fn compile(layers: Vec<Raw>) -> Result<Criteria> {
    // Merge lexicons and patterns first: rules may use any of them.
    let mut lexicon_terms: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut patterns: BTreeMap<String, String> = BTreeMap::new();
    for layer in &layers {
        validate_layer(layer)?;
        for (name, terms) in &layer.file.lexicons {
            lexicon_terms.entry(name.clone()).or_default().extend(terms.iter().cloned());
        }
        for (name, pattern) in &layer.file.patterns {
            let at =
                |message: String| locate(&layer.path, &layer.text, &format!("{name} ="), message);
            validate_pattern(pattern).map_err(|e| {
                at(format!("pattern `{name}` is not a valid regular expression: {e}"))
            })?;
            if layer.path != "builtin" {
                // A user's pattern is compiled now, so an automaton too large to build is an
                // error naming its line rather than a failure at first use.
                Regex::new(pattern).map_err(|e| {
                    let why = e.to_string().lines().last().unwrap_or("").trim().to_string();
                    at(format!("pattern `{name}` cannot be compiled: {why}"))
                })?;
            }
            patterns.insert(name.clone(), pattern.clone());
        }
    }
    let last = layers.last().expect("at least one layer");
    // Identical lists share one compiled set (and one cache of document counts).
    // One registry for every term of these criteria: one automaton, built on first use.
    let registry = Arc::new(Registry::default());
    // Each lexicon's terms are normalised and registered once, where it is first referred to
    // (the ids are those registering its terms there would give): rules refer to the same
    // lexicons again and again.
    let lexicon_id_cache: std::cell::RefCell<HashMap<String, Arc<[usize]>>> = Default::default();
    let lexicon_ids = |name: &str| -> Arc<[usize]> {
        if let Some(ids) = lexicon_id_cache.borrow().get(name) {
            return Arc::clone(ids);
        }
        let ids: Arc<[usize]> = registry.register_terms(&lexicon_terms[name]).into();
        lexicon_id_cache.borrow_mut().insert(name.to_string(), Arc::clone(&ids));
        ids
    };
    let cache: std::cell::RefCell<std::collections::HashMap<Vec<String>, Arc<TermSet>>> =
        Default::default();
    let resolve = |layer: &Raw, entries: &[String]| -> Result<Option<Arc<TermSet>>> {
        if entries.is_empty() {
            return Ok(None);
        }
        if let Some(set) = cache.borrow().get(entries) {
            return Ok(Some(set.clone()));
        }
        let mut ids = Vec::new();
        let mut res = Vec::new();
        for e in entries {
            match e.strip_prefix('@') {
                Some(name) => {
                    if lexicon_terms.contains_key(name) {
                        ids.extend_from_slice(&lexicon_ids(name));
                    } else if let Some(re) = patterns.get(name) {
                        res.push(re.clone());
                    } else {
                        return Err(locate(
                            &layer.path,
                            &layer.text,
                            e,
                            format!(
                                "`{e}` names no lexicon or pattern; define it under [lexicons] or [patterns]"
                            ),
                        ));
                    }
                }
                None => ids.extend(registry.register_terms(std::slice::from_ref(e))),
            }
        }
        let set = Arc::new(TermSet::with_ids(registry.clone(), ids, res));
        cache.borrow_mut().insert(entries.to_vec(), set.clone());
        Ok(Some(set))
    };

    let mut categories: Vec<Category> = Vec::new();
    let mut sections = BTreeMap::new();
    let mut rules: Vec<Rule> = Vec::new();
    let mut raw_rules: Vec<(RuleFile, usize)> = Vec::new();
    let mut settings = SettingsFile::default();
    let mut direction = DirectionFile::default();
    let mut name = "builtin".to_string();
    let mut description = String::new();
    for layer in &layers {
        if let Some(s) = &layer.file.settings {
            settings.wholesale_threshold = s.wholesale_threshold.or(settings.wholesale_threshold);
            settings.notice_lead_days = s.notice_lead_days.or(settings.notice_lead_days);
        }
        if let Some(d) = &layer.file.direction {
            direction.scope.extend(d.scope.iter().cloned());
            direction.limits.extend(d.limits.iter().cloned());
        }
        match &layer.file.name {
            Some(n) => name = n.clone(),
            // An unnamed file is named by its path, never by the profile it extends.
            None if layer.path != "builtin" => name = layer.path.clone(),
            None => {}
        }
        if let Some(d) = &layer.file.description {
            description = d.clone();
        }
        let _ = &layer.file.schema;
        for c in &layer.file.categories {
            let category = Category {
                id: c.id.clone(),
                title: c.title.clone(),
                headings: resolve(layer, &c.headings)?
                    .unwrap_or_else(|| Arc::new(TermSet::new(Vec::new(), Vec::new()))),
                terms: resolve(layer, &c.terms)?
                    .unwrap_or_else(|| Arc::new(TermSet::new(Vec::new(), Vec::new()))),
                broaden: c.broaden,
                practice: c.practice.unwrap_or(true),
                yields_to: c.yields_to.clone(),
                terms_add: c.terms_add.unwrap_or(false),
                inherited: c.inherited.unwrap_or(false),
                covers: c.covers.clone(),
                displaced_by: c.displaced_by.clone(),
            };
            match categories.iter_mut().find(|x| x.id == c.id) {
                Some(existing) => *existing = category,
                None => categories.push(category),
            }
        }
        for (id, cats) in &layer.file.sections {
            sections.insert(id.clone(), cats.clone());
        }
        for r in &layer.file.rules {
            let merged = match raw_rules.iter().position(|(x, _)| x.id == r.id) {
                Some(k) => {
                    let m = r.over(&raw_rules[k].0);
                    raw_rules[k].0 = m.clone();
                    m
                }
                None => {
                    let incomplete = r.title.is_none()
                        || r.level.is_none()
                        || r.reference.is_none()
                        || r.reason.is_none();
                    if r.level == Some(RuleLevel::Off) && layer.path != layers[0].path {
                        return Err(at_rule(
                            layer,
                            &r.id,
                            format!(
                                "rule `{}` is switched off, but the profile it extends has no rule `{}` (`redline rules --criteria builtin` lists them)",
                                r.id, r.id
                            ),
                        ));
                    }
                    if incomplete && layer.path != layers[0].path {
                        return Err(locate(
                            &layer.path,
                            &layer.text,
                            &format!("\"{}\"", r.id),
                            format!(
                                "rule `{}` overrides nothing: the profile it extends has no rule `{}` (`redline rules --criteria builtin` lists them); fix the id, or give a new rule its title, level, reference and reason",
                                r.id, r.id
                            ),
                        ));
                    }
                    raw_rules.push((r.clone(), 0));
                    r.clone()
                }
            };
            let line = layer.lines.get(&r.id).copied().unwrap_or(0);
            if merged.level == Some(RuleLevel::Off) {
                let fallback = merged
                    .when
                    .as_ref()
                    .is_some_and(|m| m.unmatched == Some(true) || m.wholesale == Some(true));
                if fallback {
                    return Err(at_rule(
                        layer,
                        &r.id,
                        format!(
                            "rule `{}` cannot be switched off: it guarantees that every change (or every rewrite) gets a finding; give it another level instead",
                            r.id
                        ),
                    ));
                }
                rules.retain(|x: &Rule| x.id != r.id);
                continue;
            }
            let rule = compile_rule(layer, &merged, &resolve, line)?;
            match rules.iter_mut().find(|x| x.id == r.id) {
                Some(existing) => *existing = rule,
                None => rules.push(rule),
            }
        }
    }
    // Every category a rule or a section pin names must exist.
    for layer in &layers {
        for r in &layer.file.rules {
            let Some(when) = &r.when else { continue };
            for c in when.categories.iter().chain(&when.not_categories) {
                if !categories.iter().any(|x| &x.id == c) {
                    return Err(locate(
                        &layer.path,
                        &layer.text,
                        &format!("\"{c}\""),
                        format!("rule `{}` names unknown category `{c}`", r.id),
                    ));
                }
            }
        }
        for c in &layer.file.categories {
            let named = [
                ("yields to", &c.yields_to),
                ("covers", &c.covers),
                ("is displaced by", &c.displaced_by),
            ];
            for (relation, others) in named {
                for other in others {
                    if !categories.iter().any(|x| &x.id == other) {
                        return Err(locate(
                            &layer.path,
                            &layer.text,
                            &format!("\"{other}\""),
                            format!("category `{}` {relation} unknown category `{other}`", c.id),
                        ));
                    }
                }
            }
        }
        for (id, cats) in &layer.file.sections {
            for c in cats {
                if !categories.iter().any(|x| &x.id == c) {
                    return Err(locate(
                        &layer.path,
                        &layer.text,
                        id,
                        format!("section `{id}` is pinned to unknown category `{c}`"),
                    ));
                }
            }
        }
    }
    let mut lexicons = BTreeMap::new();
    for n in lexicon_terms.keys() {
        let ids = lexicon_ids(n).to_vec();
        lexicons.insert(n.clone(), Arc::new(TermSet::with_ids(registry.clone(), ids, Vec::new())));
    }
    let empty = || Arc::new(TermSet::new(Vec::new(), Vec::new()));
    let layer_texts = layers.iter().map(|l| (l.path.clone(), l.text.clone())).collect();
    Ok(Criteria {
        name,
        source: last.path.clone(),
        description,
        rules,
        categories,
        sections,
        lexicons,
        patterns: patterns
            .iter()
            .map(|(n, p)| (n.clone(), Arc::new(TermSet::new(Vec::new(), vec![p.clone()]))))
            .collect(),
        direction_scope: resolve(last, &direction.scope)?.unwrap_or_else(empty),
        direction_limits: resolve(last, &direction.limits)?.unwrap_or_else(empty),
        wholesale_threshold: settings.wholesale_threshold.unwrap_or(0.3),
        notice_lead_days: settings.notice_lead_days.unwrap_or(7),
        layers: layer_texts,
        registry: Arc::clone(&registry),
    })
}

/// Resolves a list of terms and `@references` into a compiled set (`None` for an empty list).
type Resolver<'a> = dyn Fn(&Raw, &[String]) -> Result<Option<Arc<TermSet>>> + 'a;

fn compile_rule(layer: &Raw, r: &RuleFile, resolve: &Resolver<'_>, line: usize) -> Result<Rule> {
    let missing = |field: &str| {
        at_rule(
            layer,
            &r.id,
            format!(
                "rule `{}` has no `{field}`; every rule needs id, title, level, reference and reason",
                r.id
            ),
        )
    };
    let title = r.title.clone().ok_or_else(|| missing("title"))?;
    let level = r.level.ok_or_else(|| missing("level"))?;
    let reference = r.reference.as_ref().ok_or_else(|| missing("reference"))?;
    let reason = r.reason.as_ref().ok_or_else(|| missing("reason"))?;
    let level = match level {
        RuleLevel::Category => LevelSpec::Category,
        RuleLevel::Editorial => LevelSpec::Fixed(Level::Editorial),
        RuleLevel::Minor => LevelSpec::Fixed(Level::Minor),
        RuleLevel::Major => LevelSpec::Fixed(Level::Major),
        RuleLevel::Reconsent => LevelSpec::Fixed(Level::Reconsent),
        RuleLevel::Off => unreachable!("rules switched off are not compiled"),
    };
    let default_match = MatchFile::default();
    let m = r.when.as_ref().unwrap_or(&default_match);
    let when = conditions(layer, r, m, resolve)?;
    Ok(Rule {
        id: r.id.clone(),
        title,
        level,
        qualifiers: r.qualifiers.clone().unwrap_or_default(),
        reference: Localised::from_file(reference),
        reason: Localised::from_file(reason),
        escalate_sensitive: r.escalate_sensitive.unwrap_or(false),
        cap: r.cap,
        when,
        conditions: conditions_as_written(m),
        examples: r
            .examples
            .iter()
            .map(|e| Example {
                section: e.section.clone(),
                old: e.old.clone(),
                new: e.new.clone(),
                level: e.level,
            })
            .collect(),
        defined: (layer.path.clone(), line),
    })
}

/// The vocabulary ids a statement condition may name (docs/statements.md), per field.
///
/// The built-in profile is not checked here (its ids are checked by a test): reading the ids
/// compiles the statement lexicon, which a comparison of identical texts never needs.
fn vocabulary_check(layer: &Raw, r: &RuleFile, field: &str, values: &[String]) -> Result<()> {
    if values.is_empty() || layer.path == "builtin" {
        return Ok(());
    }
    let known = crate::statements::vocabulary_ids(field);
    for v in values {
        let named =
            (field == "recipients" && v == "named") || (field == "data" && v == "sensitive");
        if !named && !known.contains(&v.as_str()) {
            return Err(at_rule(
                layer,
                &r.id,
                format!(
                    "rule `{}`: `{v}` is not a {} id; use one of {}",
                    r.id,
                    field.trim_end_matches('s'),
                    known.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// The [`Condition`]s of a rule's `[rules.match]`, in a fixed order (cheap structural tests
/// first, term counts last).
fn conditions(
    layer: &Raw,
    r: &RuleFile,
    m: &MatchFile,
    resolve: &Resolver<'_>,
) -> Result<Vec<Condition>> {
    let mut out = Vec::new();
    let set = |entries: &[String]| resolve(layer, entries);
    if m.unmatched == Some(true) {
        out.push(Condition::Unmatched);
    }
    if m.wholesale == Some(true) {
        out.push(Condition::Wholesale);
    }
    if m.language_changed == Some(true) {
        out.push(Condition::LanguageChanged);
    }
    if m.degenerate == Some(true) {
        out.push(Condition::Degenerate);
    }
    if !m.evidence.is_empty() {
        out.push(Condition::Evidence(m.evidence.clone()));
    }
    if !m.changes.is_empty() {
        out.push(Condition::Changes(m.changes.clone()));
    }
    if !m.sections.is_empty() {
        out.push(Condition::Sections(m.sections.clone()));
    }
    if !m.categories.is_empty() {
        out.push(Condition::Categories(m.categories.clone()));
    }
    if !m.not_categories.is_empty() {
        out.push(Condition::NotCategories(m.not_categories.clone()));
    }
    if let Some(v) = m.in_table {
        out.push(Condition::InTable(v));
    }
    if let Some(t) = set(&m.tables)? {
        out.push(Condition::Tables(t));
    }
    if let Some(t) = set(&m.not_tables)? {
        out.push(Condition::NotTables(t));
    }
    if let Some(t) = set(&m.columns)? {
        out.push(Condition::Columns(t));
    }
    if !m.directions.is_empty() {
        out.push(Condition::Directions(m.directions.clone()));
    }
    if let Some(d) = m.duration {
        out.push(Condition::Duration(d));
    }
    if let Some(v) = m.rewritten {
        out.push(Condition::Rewritten(v));
    }
    let statement_filters = !m.actions.is_empty()
        || !m.data.is_empty()
        || !m.recipients.is_empty()
        || !m.purposes.is_empty();
    if statement_filters && m.statements.is_empty() {
        return Err(at_rule(
            layer,
            &r.id,
            format!(
                "rule `{}`: `actions`, `data`, `recipients` and `purposes` qualify a `statements` condition; add `statements = [...]`",
                r.id
            ),
        ));
    }
    if !m.statements.is_empty() {
        vocabulary_check(layer, r, "actions", &m.actions)?;
        vocabulary_check(layer, r, "data", &m.data)?;
        vocabulary_check(layer, r, "recipients", &m.recipients)?;
        vocabulary_check(layer, r, "purposes", &m.purposes)?;
        out.push(Condition::Statement(StatementMatch {
            kinds: m.statements.clone(),
            actions: m.actions.clone(),
            data: m.data.clone(),
            recipients: m.recipients.clone(),
            purposes: m.purposes.clone(),
        }));
    }
    type MakeCondition = fn(Arc<TermSet>) -> Condition;
    let terms: [(&[String], MakeCondition); 10] = [
        (&m.text, Condition::Text),
        (&m.not_text, Condition::NotText),
        (&m.added, Condition::Added),
        (&m.removed, Condition::Removed),
        (&m.lost, Condition::Lost),
        (&m.gained, Condition::Gained),
        (&m.added_to_document, Condition::AddedToDocument),
        (&m.removed_from_document, Condition::RemovedFromDocument),
        (&m.path_added, Condition::PathAdded),
        (&m.emphasis_removed, Condition::EmphasisRemoved),
    ];
    for (entries, make) in terms {
        if let Some(t) = set(entries)? {
            out.push(make(t));
        }
    }
    let document_level = out.iter().any(Condition::is_document_level);
    if document_level && out.iter().any(|c| !c.is_document_level()) {
        return Err(at_rule(
            layer,
            &r.id,
            format!(
                "rule `{}` mixes conditions on the whole comparison (wholesale, language_changed, degenerate) with conditions on one change",
                r.id
            ),
        ));
    }
    Ok(out)
}

/// The non-empty conditions of a rule's `[rules.match]`, each as a TOML `key = value` line.
fn conditions_as_written(m: &MatchFile) -> Vec<String> {
    let Ok(toml::Value::Table(table)) = toml::Value::try_from(m) else { return Vec::new() };
    table
        .into_iter()
        .filter(|(_, v)| !matches!(v, toml::Value::Array(a) if a.is_empty()))
        .map(|(k, v)| format!("{k} = {v}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_match_starts_after_the_last_function_word() {
        assert_eq!(name_after_function_words("write to example ltd,"), "example ltd,");
        assert_eq!(name_after_function_words("com or to example ltd,"), "example ltd,");
        assert_eq!(name_after_function_words("acme widgets ltd."), "acme widgets ltd.");
        // The last word is the legal form: never left out.
        assert_eq!(name_after_function_words("privacy@example.com"), "privacy@example.com");
        let set = TermSet::new(vec![], vec![r"(?:[a-z0-9&'\-]+ ){1,4}ltd[.,]".to_string()]);
        assert_eq!(
            set.counts("write to example ltd, 1 main street").keys().collect::<Vec<_>>(),
            set.counts("example.com or to example ltd, 1 main street").keys().collect::<Vec<_>>()
        );
    }

    #[test]
    fn the_builtin_json_form_holds_the_values_of_the_toml() {
        // The build script's JSON must deserialize to exactly what the TOML does (floats to the
        // bit, every list in order): the judgement reads the JSON, people edit the TOML.
        let from_toml: CriteriaFile = toml::from_str(BUILTIN_CRITERIA).unwrap();
        let from_json = builtin_file();
        assert_eq!(format!("{from_json:?}"), format!("{from_toml:?}"));
        assert!(from_toml.rules.len() > 50, "{} rules", from_toml.rules.len());
        // And what it compiles to, from either, is the same profile.
        let a = Criteria::builtin();
        let b = compile(vec![Raw::new(from_toml, BUILTIN_CRITERIA, "builtin")]).unwrap();
        // (Term sets print their registry's hash map, in no fixed order: compare the rest.)
        let summary = |c: &Criteria| -> Vec<String> {
            c.rules
                .iter()
                .map(|r| {
                    let when: Vec<String> = r.when.iter().map(Condition::describe).collect();
                    format!(
                        "{} {} {} {:?} {:?} {:?} {} {:?} {:?} {:?} {:?} {}",
                        r.id,
                        r.title,
                        r.level,
                        r.qualifiers,
                        r.reference,
                        r.reason,
                        r.escalate_sensitive,
                        r.cap,
                        when,
                        r.conditions,
                        r.defined,
                        r.examples.len()
                    )
                })
                .chain(c.categories.iter().map(|x| format!("{} {}", x.id, x.title)))
                .collect()
        };
        assert_eq!(summary(&a), summary(&b));
        assert_eq!(a.layers, b.layers);
    }

    #[test]
    fn terms_take_the_fast_matching_form_only_when_it_is_match_text() {
        // Every string of the built-in profile and of this repository's criteria (terms,
        // headings, titles), their `*`-less forms, and spellings the fast path must not take.
        fn strings(v: &toml::Value, out: &mut Vec<String>) {
            match v {
                toml::Value::String(s) => out.push(s.clone()),
                toml::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
                toml::Value::Table(t) => t.values().for_each(|x| strings(x, out)),
                _ => {}
            }
        }
        let repo = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policy/criteria.toml"),
        )
        .unwrap();
        let mut terms = vec![
            "Data".to_string(),
            "can not".to_string(),
            "don't".to_string(),
            "two  spaces".to_string(),
            " padded ".to_string(),
            "tab\there".to_string(),
            "你的信息".to_string(),
            "全角ＡＢＣ".to_string(),
            "兼容\u{F900}".to_string(),
        ];
        for text in [BUILTIN_CRITERIA, repo.as_str()] {
            strings(&toml::from_str::<toml::Value>(text).unwrap(), &mut terms);
        }
        let more: Vec<String> =
            terms.iter().filter_map(|t| t.strip_suffix('*').map(str::to_string)).collect();
        terms.extend(more);
        assert!(terms.len() > 1000, "{} strings", terms.len());
        for t in &terms {
            assert_eq!(
                crate::statements::lexicon::matching_form(t),
                crate::normalize::match_text(t),
                "{t:?}"
            );
        }
    }

    #[test]
    fn the_builtin_statement_conditions_name_known_ids() {
        // `vocabulary_check` skips the built-in layer at run time; this is its check.
        let criteria = Criteria::builtin();
        let mut checked = 0;
        for rule in &criteria.rules {
            for c in &rule.when {
                let Condition::Statement(m) = c else { continue };
                for (field, values) in [
                    ("actions", &m.actions),
                    ("data", &m.data),
                    ("recipients", &m.recipients),
                    ("purposes", &m.purposes),
                ] {
                    let known = crate::statements::vocabulary_ids(field);
                    for v in values {
                        let named = (field == "recipients" && v == "named")
                            || (field == "data" && v == "sensitive");
                        assert!(named || known.contains(&v.as_str()), "{}: {field} {v}", rule.id);
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked >= 10, "{checked} ids checked");
    }
}
