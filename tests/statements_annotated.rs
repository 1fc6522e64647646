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
//! development part's mismatches.

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
    ("actions", 0.60, 0.58),
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

fn annotated(a: &Annotated, field: &str) -> BTreeSet<String> {
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
                let gold = annotated(a, field);
                if !gold.is_empty() {
                    counts.entry((part, field)).or_default().fn_ += 1;
                }
            }
            continue;
        };
        for field in FIELDS {
            let gold = annotated(a, field);
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
