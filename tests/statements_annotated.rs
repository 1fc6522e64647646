//! Measures the statement extractor against the hand annotation of the repository's two
//! policies (`tests/statements/annotations.toml`: 505 clauses of 33 sections, annotated by
//! reading the text before any extractor code existed, split by section into a development part
//! and a held-aside part).
//!
//! Each annotated clause is matched to the extracted clause of the same section with the same
//! text. Per field (`actions`, `polarity`, `data`, `recipients`, `purposes`, `conditions`), a
//! clause counts as a true positive when the annotated set is non-empty and the extracted set
//! equals it (names compared after NFKC, lower-casing and removing spaces), a false positive when
//! the extracted set is non-empty and differs, a false negative when the annotated set is
//! non-empty and differs; precision = TP / (TP + FP), recall = TP / (TP + FN). `polarity` is
//! always set, so its precision and recall are its accuracy.
//!
//! The figures of both parts are printed (`cargo test --test statements_annotated --
//! --nocapture`); the held-aside part should reach 0.85 on every field (a target not yet met,
//! printed as such) and must not fall below today's floors. The lexicon and the
//! extractor were tuned on the development part only. `STATEMENTS_MISSES=1` prints the
//! development part's mismatches (of both measures).
//!
//! A second measure reads two policies the extractor was not written for: 234 clauses of a
//! Chinese policy and 120 of an English one from the shared corpus
//! (`tests/statements/other_policy.toml`, `other_policy_en.toml`, annotated by readers who never
//! saw the extractor's output; the text stays in `../shared`, each clause named by its section,
//! line and text hash), split by section the same way.

use redline::document::Document;
use redline::statements::{self, Polarity, name_key};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Deserialize)]
struct Annotations {
    split: Split,
    clause: Vec<Annotated>,
}

#[derive(Deserialize)]
struct Split {
    development: Vec<String>,
    held_aside: Vec<String>,
}

#[derive(Deserialize)]
struct Annotated {
    lang: String,
    section: String,
    text: String,
    #[serde(flatten)]
    fields: Fields,
}

/// The six annotated fields of a clause.
#[derive(Deserialize)]
struct Fields {
    actions: Vec<String>,
    polarity: String,
    data: Vec<String>,
    recipients: Vec<String>,
    purposes: Vec<String>,
    conditions: Vec<String>,
}

const FIELDS: [&str; 6] = ["actions", "polarity", "data", "recipients", "purposes", "conditions"];

/// The held-aside part must reach this precision and recall on every field.
const TARGET: f64 = 0.85;

/// Held-aside regression floors per field (precision, recall), just under what the extractor
/// reaches today; the target above is not yet reached on most fields.
const FLOORS: [(&str, f64, f64); 6] = [
    ("actions", 0.66, 0.67),
    ("polarity", 0.98, 0.98),
    ("data", 0.67, 0.78),
    ("recipients", 0.87, 0.70),
    ("purposes", 0.30, 0.50),
    ("conditions", 0.82, 0.59),
];

fn normalised(values: &[String]) -> BTreeSet<String> {
    values
        .iter()
        .map(|v| match v.split_once(':') {
            Some((kind, name)) => format!("{kind}:{}", name_key(name)),
            None => v.clone(),
        })
        .collect()
}

fn extracted(s: &statements::Statement, field: &str) -> BTreeSet<String> {
    let set = |v: &BTreeSet<String>| normalised(&v.iter().cloned().collect::<Vec<_>>());
    match field {
        "actions" => set(&s.actions),
        "polarity" => [match s.polarity {
            Polarity::Affirm => "affirm".to_string(),
            Polarity::Negate => "negate".to_string(),
        }]
        .into(),
        "data" => set(&s.data),
        "recipients" => set(&s.recipients),
        "purposes" => set(&s.purposes),
        "conditions" => set(&s.conditions),
        _ => unreachable!(),
    }
}

fn annotated(a: &Fields, field: &str) -> BTreeSet<String> {
    match field {
        "actions" => normalised(&a.actions),
        "polarity" => [a.polarity.clone()].into(),
        "data" => normalised(&a.data),
        "recipients" => normalised(&a.recipients),
        "purposes" => normalised(&a.purposes),
        "conditions" => normalised(&a.conditions),
        _ => unreachable!(),
    }
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
    /// Shape of the mismatches: nothing annotated but something extracted.
    spurious: usize,
    /// Something annotated, nothing extracted.
    missed: usize,
    /// The extracted set is a strict subset of the annotated one.
    fewer: usize,
    /// The extracted set is a strict superset of the annotated one.
    more: usize,
    /// Both sets non-empty, neither holding the other.
    other: usize,
}

impl Counts {
    fn precision(self) -> f64 {
        if self.tp + self.fp == 0 { 1.0 } else { self.tp as f64 / (self.tp + self.fp) as f64 }
    }
    fn recall(self) -> f64 {
        if self.tp + self.fn_ == 0 { 1.0 } else { self.tp as f64 / (self.tp + self.fn_) as f64 }
    }
}

#[test]
fn extractor_matches_the_hand_annotation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let file: Annotations = toml::from_str(
        &std::fs::read_to_string(root.join("tests/statements/annotations.toml")).unwrap(),
    )
    .unwrap();
    let show_misses = std::env::var_os("STATEMENTS_MISSES").is_some();
    let mut docs = BTreeMap::new();
    for (lang, path) in [("zh-CN", "policy/privacy.zh-CN.md"), ("en", "policy/privacy.en.md")] {
        let bytes = std::fs::read(root.join(path)).unwrap();
        let doc = Document::from_bytes(path, &bytes).unwrap();
        let st = statements::extract(&doc);
        docs.insert(lang.to_string(), (doc, st));
    }
    let mut counts: BTreeMap<(&str, &str), Counts> = BTreeMap::new();
    let mut unmatched = 0;
    let mut clauses = BTreeMap::new();
    for a in &file.clause {
        let part = if file.split.held_aside.contains(&a.section) {
            "held-aside"
        } else {
            assert!(
                file.split.development.contains(&a.section),
                "section {} not in the split",
                a.section
            );
            "development"
        };
        *clauses.entry(part).or_insert(0) += 1;
        let (doc, st) = &docs[&a.lang];
        let section = doc.sections.iter().position(|s| s.id == a.section).unwrap();
        let found =
            st.clauses.iter().find(|c| c.section == section && c.text.trim() == a.text.trim());
        let Some(found) = found else {
            unmatched += 1;
            if show_misses && part == "development" {
                println!("NO CLAUSE [{}/{}] {}", a.lang, a.section, a.text);
            }
            for field in FIELDS {
                let gold = annotated(&a.fields, field);
                if !gold.is_empty() {
                    counts.entry((part, field)).or_default().fn_ += 1;
                }
            }
            continue;
        };
        for field in FIELDS {
            let gold = annotated(&a.fields, field);
            let got = extracted(&found.statement, field);
            let c = counts.entry((part, field)).or_default();
            if gold == got {
                if !gold.is_empty() {
                    c.tp += 1;
                }
            } else {
                match (gold.is_empty(), got.is_empty()) {
                    (true, _) => c.spurious += 1,
                    (false, true) => c.missed += 1,
                    _ if got.is_subset(&gold) => c.fewer += 1,
                    _ if got.is_superset(&gold) => c.more += 1,
                    _ => c.other += 1,
                }
                if !got.is_empty() {
                    c.fp += 1;
                }
                if !gold.is_empty() {
                    c.fn_ += 1;
                }
                if show_misses && part == "development" {
                    println!(
                        "[{}/{}] {field}: annotated {:?}, extracted {:?}\n    {}",
                        a.lang, a.section, gold, got, a.text
                    );
                }
            }
        }
    }
    println!(
        "clauses: {clauses:?}; annotated clauses without an extracted clause of the same text: {unmatched}"
    );
    println!("{:<12} {:<11} {:>9} {:>7}", "part", "field", "precision", "recall");
    let mut failures = Vec::new();
    for part in ["development", "held-aside"] {
        for field in FIELDS {
            let c = counts.get(&(part, field)).copied().unwrap_or_default();
            println!("{part:<12} {field:<11} {:>9.3} {:>7.3}", c.precision(), c.recall());
            if part != "held-aside" {
                continue;
            }
            if c.precision() < TARGET || c.recall() < TARGET {
                println!(
                    "TARGET NOT MET: held-aside {field} precision {:.3}, recall {:.3} (target {TARGET})",
                    c.precision(),
                    c.recall()
                );
            }
            let (_, p, r) = FLOORS.iter().find(|(f, _, _)| *f == field).copied().unwrap();
            if c.precision() < p || c.recall() < r {
                failures.push(format!(
                    "{field}: precision {:.3}, recall {:.3} (floor {p}, {r})",
                    c.precision(),
                    c.recall()
                ));
            }
        }
    }
    // The shape of the mismatches, counts only (no clause text of the held-aside part is
    // printed): which way a field errs tells whether its cues are too loose or too narrow.
    println!(
        "{:<12} {:<11} {:>8} {:>6} {:>6} {:>5} {:>5}",
        "part", "field", "spurious", "missed", "fewer", "more", "other"
    );
    for part in ["development", "held-aside"] {
        for field in FIELDS {
            let c = counts.get(&(part, field)).copied().unwrap_or_default();
            println!(
                "{part:<12} {field:<11} {:>8} {:>6} {:>6} {:>5} {:>5}",
                c.spurious, c.missed, c.fewer, c.more, c.other
            );
        }
    }
    assert!(failures.is_empty(), "held-aside fields below their floors: {failures:?}");
}

#[derive(Deserialize)]
struct OtherPolicy {
    /// The annotated version, relative to `../shared/corpus`.
    source: String,
    split: Split,
    clause: Vec<OtherClause>,
}

#[derive(Deserialize)]
struct OtherClause {
    section: String,
    line: usize,
    sha256: String,
    #[serde(flatten)]
    fields: Fields,
}

/// Floors per annotation file, part and field (precision, recall), just under what the
/// extractor reaches today; the 0.85 target of the repository's policy is not met on either
/// policy. Measured unseen, before any change they suggested, over all their clauses: the
/// Chinese policy (234 clauses) actions 0.67 / 0.57, data 0.69 / 0.67, recipients 0.75 / 0.67,
/// purposes 0.62 / 0.44, conditions 0.86 / 0.59; the English one (120 clauses) actions 0.50 /
/// 0.42, data 0.65 / 0.36, recipients 0.80 / 0.50, purposes 0.33 / 0.20, conditions 0.50 / 0.29.
/// The development floors of `actions` fell by a point when `transmitted to`, `passed on to` and
/// `交换信息` became sharing: a clause annotated `share` + `use` that gave nothing now gives
/// `share`, and a partial set counts as a false positive where an empty one counted as a miss.
/// The held-aside `data` floor of the English policy fell from 0.53 / 0.42 (8 of 15 and of 19
/// clauses) to 0.50 / 0.36 (7 of 14, 7 of 19) at judgement 55, when messages we send the user
/// stopped counting as the user's communications (the sensitive kind, "content of
/// communications"): one held-aside clause annotated `communications` now names no data. The
/// change stays because it mends a re-consent judged minor on real text (yahoo 123→124, all
/// communications content newly analysed, hidden by `send you certain communications`); the
/// clause was not read.
const OTHER_FLOORS: [(&str, &str, &str, f64, f64); 24] = [
    ("other_policy.toml", "development", "actions", 0.65, 0.54),
    ("other_policy.toml", "development", "polarity", 0.96, 0.96),
    ("other_policy.toml", "development", "data", 0.73, 0.68),
    ("other_policy.toml", "development", "recipients", 0.74, 0.85),
    ("other_policy.toml", "development", "purposes", 0.60, 0.45),
    ("other_policy.toml", "development", "conditions", 0.96, 0.79),
    ("other_policy.toml", "held-aside", "actions", 0.83, 0.74),
    ("other_policy.toml", "held-aside", "polarity", 0.98, 0.98),
    ("other_policy.toml", "held-aside", "data", 0.70, 0.70),
    ("other_policy.toml", "held-aside", "recipients", 0.99, 0.50),
    ("other_policy.toml", "held-aside", "purposes", 0.66, 0.40),
    ("other_policy.toml", "held-aside", "conditions", 0.84, 0.64),
    ("other_policy_en.toml", "development", "actions", 0.57, 0.55),
    ("other_policy_en.toml", "development", "polarity", 0.97, 0.97),
    ("other_policy_en.toml", "development", "data", 0.79, 0.74),
    ("other_policy_en.toml", "development", "recipients", 0.99, 0.62),
    ("other_policy_en.toml", "development", "purposes", 0.39, 0.20),
    ("other_policy_en.toml", "development", "conditions", 0.66, 0.40),
    ("other_policy_en.toml", "held-aside", "actions", 0.53, 0.43),
    ("other_policy_en.toml", "held-aside", "polarity", 0.96, 0.96),
    ("other_policy_en.toml", "held-aside", "data", 0.50, 0.36),
    ("other_policy_en.toml", "held-aside", "recipients", 0.99, 0.99),
    ("other_policy_en.toml", "held-aside", "purposes", 0.50, 0.36),
    ("other_policy_en.toml", "held-aside", "conditions", 0.99, 0.00),
];

/// Measures the extractor on `tests/statements/other_policy*.toml`: the clauses of policies of
/// the shared corpus that the extractor was not written for (one Chinese, one English),
/// annotated by readers who never saw its output. Skips, saying so, when `../shared/corpus` is
/// absent.
#[test]
fn extractor_matches_the_annotation_of_policies_it_was_not_written_for() {
    use sha2::{Digest, Sha256};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("../shared/corpus");
    if !corpus.is_dir() {
        println!("skipped: {} is absent", corpus.display());
        return;
    }
    let show_misses = std::env::var_os("STATEMENTS_MISSES").is_some();
    let mut failures = Vec::new();
    for name in ["other_policy.toml", "other_policy_en.toml"] {
        let file: OtherPolicy = toml::from_str(
            &std::fs::read_to_string(root.join("tests/statements").join(name)).unwrap(),
        )
        .unwrap();
        let bytes = std::fs::read(corpus.join(&file.source)).unwrap();
        let doc = Document::from_bytes(&file.source, &bytes).unwrap();
        let st = statements::extract(&doc);
        let key = |section: &str, line: usize, text: &str| {
            let digest = Sha256::digest(text.trim().as_bytes());
            let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
            (section.to_string(), line, hex)
        };
        let found: BTreeMap<_, _> = st
            .clauses
            .iter()
            .map(|c| {
                let s = &doc.sections[c.section];
                (key(&s.id, s.blocks[c.block].line, &c.text), (&c.text, &c.statement))
            })
            .collect();
        let mut counts: BTreeMap<(&str, &str), Counts> = BTreeMap::new();
        for a in &file.clause {
            let part = if file.split.held_aside.contains(&a.section) {
                "held-aside"
            } else {
                assert!(file.split.development.contains(&a.section), "section {}", a.section);
                "development"
            };
            let (text, statement) =
                found.get(&(a.section.clone(), a.line, a.sha256.clone())).unwrap_or_else(|| {
                    panic!("{name}: no clause {} at line {} in {}", a.sha256, a.line, a.section)
                });
            for field in FIELDS {
                let (want, got) = (annotated(&a.fields, field), extracted(statement, field));
                let c = counts.entry((part, field)).or_default();
                if want == got {
                    c.tp += usize::from(!want.is_empty());
                } else {
                    c.fp += usize::from(!got.is_empty());
                    c.fn_ += usize::from(!want.is_empty());
                    if show_misses && part == "development" {
                        println!(
                            "[{name} {} line {}] {field}: annotated {want:?}, extracted {got:?}\n    {}",
                            a.section,
                            a.line,
                            text.trim()
                        );
                    }
                }
            }
        }
        println!("{} ({name}, {} clauses)", file.source, file.clause.len());
        println!("{:<12} {:<11} {:>9} {:>7}", "part", "field", "precision", "recall");
        for (_, part, field, p, r) in OTHER_FLOORS.iter().filter(|f| f.0 == name) {
            let c = counts.get(&(*part, *field)).copied().unwrap_or_default();
            println!("{part:<12} {field:<11} {:>9.3} {:>7.3}", c.precision(), c.recall());
            if c.precision() < *p || c.recall() < *r {
                failures.push(format!(
                    "{name} {part} {field}: {:.3} / {:.3}",
                    c.precision(),
                    c.recall()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "fields below their floors: {failures:?}");
}
