//! The declarative criteria: lexicons, patterns, practice categories and rules, read from TOML
//! (`policy/criteria.toml`, or the built-in profile compiled into the binary).
//!
//! A criteria file may say `extends = "builtin"`: it then starts from the built-in profile; a rule
//! with the id of a built-in rule replaces it, new rules are appended, a lexicon of the same name
//! gains the listed terms, and `[sections]` pins section ids to categories. Unknown fields are
//! errors naming the line. The schema is documented in the built-in file itself
//! (`src/criteria/builtin.toml`) and in the README.

use crate::error::{Error, Result};
use crate::model::{ChangeKind, Direction, Level, Qualifier};
use crate::normalize::match_text;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

/// The built-in profile: the statutory baseline (CN, EU, US signals; zh and en lexicons),
/// without any policy's self-commitments (criteria.md Decision 1).
pub const BUILTIN_CRITERIA: &str = include_str!("criteria/builtin.toml");

/// The criteria schema this crate reads.
pub const CRITERIA_SCHEMA: &str = "redline.criteria/1";

/// The id of the built-in rule for a wording change that no other rule matches (level `minor`).
pub const OTHER_WORDING: &str = "other-wording";
/// The id of the built-in rule for a wholesale rewrite (criteria.md Decision 8).
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

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    id: String,
    title: Option<String>,
    level: Option<String>,
    qualifiers: Option<Vec<Qualifier>>,
    reference: Option<String>,
    reason: Option<String>,
    escalate_sensitive: Option<bool>,
    cap: Option<Level>,
    #[serde(rename = "match")]
    when: Option<MatchFile>,
}

impl RuleFile {
    /// Fills the fields this (partial) rule leaves out from `base`, the rule it overrides.
    fn over(&self, base: &RuleFile) -> RuleFile {
        RuleFile {
            id: self.id.clone(),
            title: self.title.clone().or_else(|| base.title.clone()),
            level: self.level.clone().or_else(|| base.level.clone()),
            qualifiers: self.qualifiers.clone().or_else(|| base.qualifiers.clone()),
            reference: self.reference.clone().or_else(|| base.reference.clone()),
            reason: self.reason.clone().or_else(|| base.reason.clone()),
            escalate_sensitive: self.escalate_sensitive.or(base.escalate_sensitive),
            cap: self.cap.or(base.cap),
            when: self.when.clone().or_else(|| base.when.clone()),
        }
    }
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
    evidence: Vec<String>,
    #[serde(default)]
    text: Vec<String>,
    #[serde(default)]
    not_text: Vec<String>,
    #[serde(default)]
    added: Vec<String>,
    #[serde(default)]
    removed: Vec<String>,
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

/// The level a rule assigns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelSpec {
    /// A fixed level.
    Fixed(Level),
    /// The broadening level of the change's practice category (criteria.md 4.2 rule 5).
    Category,
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

    /// The automaton over every registered term, and the terms by id. Built once; terms
    /// registered later are not searched (all are registered while the criteria compile).
    fn automaton(&self) -> &(AhoCorasick, Vec<(String, bool)>) {
        self.automaton.get_or_init(|| {
            let entries = self.entries.lock().expect("registry lock").clone();
            let patterns: Vec<&str> = entries.iter().map(|(t, _)| t.as_str()).collect();
            let ac = AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::ContiguousNFA))
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

/// A set of terms and patterns, matched against [`match_text`]-normalised text.
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
        let mut ids: Vec<usize> = terms
            .iter()
            .filter_map(|t| {
                let (t, prefix) = match t.strip_suffix('*') {
                    Some(t) => (t, true),
                    None => (t.as_str(), false),
                };
                let t = match_text(t);
                (!t.is_empty()).then(|| registry.register(t, prefix))
            })
            .collect();
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
    /// the text they matched) in `text`, which must be [`match_text`]-normalised. Latin terms
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
                *out.entry(m.as_str().to_string()).or_insert(0) += 1;
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

    /// Whether any term occurs in `text` ([`match_text`]-normalised).
    pub fn any(&self, text: &str) -> bool {
        !self.counts(text).is_empty()
    }
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

/// The conditions of a rule; every condition given must hold (a list holds when any of its
/// entries does).
#[derive(Debug, Clone, Default)]
pub struct Match {
    /// Change kinds; empty means any.
    pub changes: Vec<ChangeKind>,
    /// Section ids (the change's section or one of its ancestors).
    pub sections: Vec<String>,
    /// Practice categories of the change's section.
    pub categories: Vec<String>,
    /// Categories the section must not have.
    pub not_categories: Vec<String>,
    /// Terms the table header must contain (rows only).
    pub tables: Option<Arc<TermSet>>,
    /// Terms the table header must not contain (a row of such a table never matches).
    pub not_tables: Option<Arc<TermSet>>,
    /// Whether the change must (true) or must not (false) be a table row.
    pub in_table: Option<bool>,
    /// For `row_modified`: every changed column's header contains one of these.
    pub columns: Option<Arc<TermSet>>,
    /// Directions; empty means any.
    pub directions: Vec<Direction>,
    /// Editorial evidence the rule looks at (`emphasis`, `link_targets`, `moved`, …); a rule
    /// without it never matches a change that has evidence.
    pub evidence: Vec<String>,
    /// The change's text contains one of these.
    pub text: Option<Arc<TermSet>>,
    /// The change's text contains none of these.
    pub not_text: Option<Arc<TermSet>>,
    /// A term occurs more often in the new text than in the old.
    pub added: Option<Arc<TermSet>>,
    /// A term occurs less often in the new text than in the old.
    pub removed: Option<Arc<TermSet>>,
    /// A term of the change's new text that the old document never mentions (new to it).
    pub added_to_document: Option<Arc<TermSet>>,
    /// A term of the change's old text that the new document no longer mentions at all.
    pub removed_from_document: Option<Arc<TermSet>>,
    /// The new heading path gained a term (moves into a section with another role).
    pub path_added: Option<Arc<TermSet>>,
    /// Emphasis was removed from text containing one of these.
    pub emphasis_removed: Option<Arc<TermSet>>,
    /// How durations moved.
    pub duration: Option<DurationChange>,
    /// Whether the edit kept less than half of the clause's words (`true`) or more (`false`).
    pub rewritten: Option<bool>,
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
    /// The clause or law behind it ("十一 item 3; PIPL art. 23").
    pub reference: String,
    /// The finding's reason; `{terms}` is replaced with the terms that matched.
    pub reason: String,
    /// A broadening that touches sensitive data becomes `reconsent` + `separate`, children's
    /// data + `guardian` (criteria.md 4.2 rule 4).
    pub escalate_sensitive: bool,
    /// When it matches, the change's level is at most this (a disclosure required by law needs
    /// notice, not consent: PIPL art. 13(1)(3)).
    pub cap: Option<Level>,
    /// Its conditions.
    pub when: Match,
    /// Its conditions as written in the criteria file (`added = ["@email", "@phone"]`), one
    /// per line, for `redline rules --explain`.
    pub conditions: Vec<String>,
    /// 1-based line of its `id` in the file it came from (0 for built-in code rules).
    pub line: usize,
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
    /// Rules in file order (built-in rules first when extending).
    pub rules: Vec<Rule>,
    /// Practice categories.
    pub categories: Vec<Category>,
    /// Section id → category ids, pinned by the file.
    pub sections: BTreeMap<String, Vec<String>>,
    /// Lexicons by name (compiled on first use).
    pub lexicons: BTreeMap<String, Arc<TermSet>>,
    /// Patterns by name (`email`, `phone`, `url`, `company`) as one-pattern sets, matched
    /// against [`match_text`]-normalised text.
    pub patterns: BTreeMap<String, Arc<TermSet>>,
    /// Terms whose addition widens and whose removal narrows a disclosure.
    pub direction_scope: Arc<TermSet>,
    /// Terms whose addition narrows and whose removal widens (negation, limits, consent).
    pub direction_limits: Arc<TermSet>,
    /// Share of unaligned old text above which a diff is a wholesale rewrite (default 0.3).
    pub wholesale_threshold: f64,
    /// Minimum days between the update date and the effective date for a major release (7).
    pub notice_lead_days: u32,
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
        Criteria::from_str("builtin", BUILTIN_CRITERIA)
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

    /// Parses criteria from TOML `text`; `path` labels messages.
    pub fn from_str(path: &str, text: &str) -> Result<Criteria> {
        let file: CriteriaFile = toml::from_str(text).map_err(|e| Error::toml(path, text, &e))?;
        let raw = Raw::new(file, text, path);
        match raw.file.extends.as_deref() {
            None => compile(vec![raw]),
            Some("builtin") => {
                let base: CriteriaFile = toml::from_str(BUILTIN_CRITERIA).unwrap_or_else(|e| {
                    panic!("the built-in criteria are invalid: {}", e.message())
                });
                let base = Raw::new(base, BUILTIN_CRITERIA, "builtin");
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
            let file: CriteriaFile =
                toml::from_str(text).map_err(|e| Error::toml(label, text, &e))?;
            raws.push(Raw::new(file, text, label));
        }
        compile(raws)
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
    let cache: std::cell::RefCell<std::collections::HashMap<Vec<String>, Arc<TermSet>>> =
        Default::default();
    let resolve = |layer: &Raw, entries: &[String]| -> Result<Option<Arc<TermSet>>> {
        if entries.is_empty() {
            return Ok(None);
        }
        if let Some(set) = cache.borrow().get(entries) {
            return Ok(Some(set.clone()));
        }
        let mut terms = Vec::new();
        let mut res = Vec::new();
        for e in entries {
            match e.strip_prefix('@') {
                Some(name) => {
                    if let Some(t) = lexicon_terms.get(name) {
                        terms.extend(t.iter().cloned());
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
                None => terms.push(e.clone()),
            }
        }
        let set = Arc::new(TermSet::in_registry(registry.clone(), &terms, res));
        cache.borrow_mut().insert(entries.to_vec(), set.clone());
        Ok(Some(set))
    };

    let mut categories: Vec<Category> = Vec::new();
    let mut sections = BTreeMap::new();
    let mut rules: Vec<Rule> = Vec::new();
    let mut raw_rules: Vec<RuleFile> = Vec::new();
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
            let merged = match raw_rules.iter().position(|x: &RuleFile| x.id == r.id) {
                Some(k) => {
                    let m = r.over(&raw_rules[k]);
                    raw_rules[k] = m.clone();
                    m
                }
                None => {
                    let incomplete = r.title.is_none()
                        || r.level.is_none()
                        || r.reference.is_none()
                        || r.reason.is_none();
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
                    raw_rules.push(r.clone());
                    r.clone()
                }
            };
            let rule = compile_rule(layer, &merged, &resolve)?;
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
    for (n, terms) in &lexicon_terms {
        lexicons
            .insert(n.clone(), Arc::new(TermSet::in_registry(registry.clone(), terms, Vec::new())));
    }
    let empty = || Arc::new(TermSet::new(Vec::new(), Vec::new()));
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
    })
}

/// Resolves a list of terms and `@references` into a compiled set (`None` for an empty list).
type Resolver<'a> = dyn Fn(&Raw, &[String]) -> Result<Option<Arc<TermSet>>> + 'a;

fn compile_rule(layer: &Raw, r: &RuleFile, resolve: &Resolver<'_>) -> Result<Rule> {
    let missing = |field: &str| {
        locate(
            &layer.path,
            &layer.text,
            &format!("\"{}\"", r.id),
            format!(
                "rule `{}` has no `{field}`; every rule needs id, title, level, reference and reason",
                r.id
            ),
        )
    };
    let title = r.title.clone().ok_or_else(|| missing("title"))?;
    let level_text = r.level.clone().ok_or_else(|| missing("level"))?;
    let reference = r.reference.clone().ok_or_else(|| missing("reference"))?;
    let reason = r.reason.clone().ok_or_else(|| missing("reason"))?;
    let default_match = MatchFile::default();
    let m = r.when.as_ref().unwrap_or(&default_match);
    let level = match level_text.as_str() {
        "category" => LevelSpec::Category,
        other => match Level::parse(other) {
            Some(Level::None) | None => {
                return Err(locate(
                    &layer.path,
                    &layer.text,
                    &format!("\"{other}\""),
                    format!(
                        "rule `{}`: unknown level `{other}`; use editorial, minor, major, reconsent or category",
                        r.id
                    ),
                ));
            }
            Some(l) => LevelSpec::Fixed(l),
        },
    };
    const EVIDENCE: [&str; 8] = [
        "normalized",
        "moved",
        "renumbered",
        "reordered",
        "emphasis",
        "link_targets",
        "metadata",
        "formatting",
    ];
    for e in &m.evidence {
        if !EVIDENCE.contains(&e.as_str()) {
            return Err(locate(
                &layer.path,
                &layer.text,
                &format!("\"{e}\""),
                format!(
                    "rule `{}`: unknown evidence `{e}`; use one of {}",
                    r.id,
                    EVIDENCE.join(", ")
                ),
            ));
        }
    }
    Ok(Rule {
        id: r.id.clone(),
        title,
        level,
        qualifiers: r.qualifiers.clone().unwrap_or_default(),
        reference,
        reason,
        escalate_sensitive: r.escalate_sensitive.unwrap_or(false),
        cap: r.cap,
        when: Match {
            changes: m.changes.clone(),
            sections: m.sections.clone(),
            categories: m.categories.clone(),
            not_categories: m.not_categories.clone(),
            tables: resolve(layer, &m.tables)?,
            not_tables: resolve(layer, &m.not_tables)?,
            in_table: m.in_table,
            columns: resolve(layer, &m.columns)?,
            directions: m.directions.clone(),
            evidence: m.evidence.clone(),
            text: resolve(layer, &m.text)?,
            not_text: resolve(layer, &m.not_text)?,
            added: resolve(layer, &m.added)?,
            removed: resolve(layer, &m.removed)?,
            added_to_document: resolve(layer, &m.added_to_document)?,
            removed_from_document: resolve(layer, &m.removed_from_document)?,
            path_added: resolve(layer, &m.path_added)?,
            emphasis_removed: resolve(layer, &m.emphasis_removed)?,
            duration: m.duration,
            rewritten: m.rewritten,
        },
        conditions: conditions_as_written(m),
        line: layer.lines.get(&r.id).copied().unwrap_or(0),
    })
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
