//! Agreement with real changes labelled by reading the text (`../shared/corpus/labels/
//! dev-labels.toml`: consecutive versions of public policies, each labelled editorial, minor,
//! major, reconsent or degenerate, split into a development part and a held-aside part). The
//! judgement was tuned on the development part; the held-aside part is measured. Run with
//! `cargo test --test labels -- --nocapture` to see both parts and every disagreement of the
//! development part; skips, saying so, when the corpus is absent.
//!
//! Pairs labelled `degenerate` (capture noise: error pages, truncated or flip-flopping captures)
//! are left out of the agreement figures and reported apart: what the guards made of them.

use redline::Level;
use redline::document::Document;
use redline::report::{Comparison, Side, compare_documents};
use redline::rules::Criteria;
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
struct Labels {
    pair: Vec<Pair>,
}

#[derive(Deserialize)]
struct Pair {
    part: String,
    corpus: String,
    doc: String,
    old: String,
    new: String,
    level: String,
    confidence: String,
}

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.join("labels/dev-labels.toml").is_file() {
        Some(dir)
    } else {
        println!("skipped: {} is absent", dir.join("labels/dev-labels.toml").display());
        None
    }
}

/// Compares versions `old` and `new` of document `doc` of `corpus` under `criteria`.
fn judge(corpus: &Path, doc: &str, old: &str, new: &str, criteria: &Criteria) -> Comparison {
    let dir = corpus.join(doc);
    let read = |name: &str| {
        let path = dir.join(name);
        let bytes = std::fs::read(&path).unwrap();
        Document::from_bytes(&path.display().to_string(), &bytes).unwrap()
    };
    compare_documents(doc, Side::file(old), Side::file(new), read(old), read(new), criteria)
}

#[derive(Default)]
struct Tally {
    pairs: usize,
    materiality: usize,
    exact: usize,
    reconsent_on_minor: usize,
    /// Pairs by (labelled level, judged level), each as an index into [`Level::ALL`].
    confusion: [[usize; 5]; 5],
}

impl Tally {
    /// Counts one pair labelled `want` and judged `got`; returns whether they agree on
    /// materiality (major and above against below).
    fn add(&mut self, want: Level, got: Level) -> bool {
        let material = |l: Level| l >= Level::Major;
        let agrees = material(want) == material(got);
        self.pairs += 1;
        self.materiality += usize::from(agrees);
        self.exact += usize::from(want == got);
        self.reconsent_on_minor += usize::from(got == Level::Reconsent && want <= Level::Minor);
        let index = |l: Level| Level::ALL.iter().position(|&x| x == l).unwrap();
        self.confusion[index(want)][index(got)] += 1;
        agrees
    }

    /// The confusion table, one row per labelled level, one column per judged level: counts
    /// only, so it says which way the disagreements go without naming a pair.
    fn print_confusion(&self, name: &str) {
        println!("{name}: labelled (rows) against judged (columns)");
        let head: Vec<String> =
            Level::ALL.iter().map(|l| format!("{:>10}", l.to_string())).collect();
        println!("  {:<10}{}", "", head.join(""));
        for (l, row) in Level::ALL.iter().zip(&self.confusion) {
            let cells: Vec<String> = row.iter().map(|n| format!("{n:>10}")).collect();
            println!("  {:<10}{}", l.to_string(), cells.join(""));
        }
    }
}

/// Held-aside targets: materiality (major and above against below) and the exact level. Not
/// yet reached; the run prints how far off it is.
const MATERIALITY_TARGET: f64 = 0.95;
const EXACT_TARGET: f64 = 0.80;
/// Held-aside regression floors, at what the judgement reaches today (17/27 and 16/27): a
/// change that loses agreement on the held-aside part fails. They were 19/27 and 18/27 until
/// judgement version 14, which stopped reading a list as newly opened when its old form was
/// already open (`e.g.`, `or other`, another clause of the same block): two held-aside pairs
/// labelled major had been called major on that finding alone.
const MATERIALITY_FLOOR: f64 = 17.0 / 27.0;
const EXACT_FLOOR: f64 = 16.0 / 27.0;

#[test]
fn judgement_agrees_with_the_labelled_changes() {
    let Some(root) = corpus() else { return };
    let labels: Labels =
        toml::from_str(&std::fs::read_to_string(root.join("labels/dev-labels.toml")).unwrap())
            .unwrap();
    let criteria = Criteria::builtin();
    let mut tallies = [Tally::default(), Tally::default()];
    let mut degenerate = Vec::new();
    for p in &labels.pair {
        let c = judge(&root.join(&p.corpus), &p.doc, &p.old, &p.new, &criteria);
        let got = c.report.level;
        let rules: Vec<&str> =
            c.report.findings.iter().filter(|f| f.level == got).map(|f| f.rule.as_str()).collect();
        let held = p.part == "held-aside";
        if p.level == "degenerate" {
            degenerate.push(format!(
                "{} {}/{} {}→{}: {got} {rules:?}",
                if held { "held-aside " } else { "development" },
                p.corpus,
                p.doc,
                &p.old[..3],
                &p.new[..3]
            ));
            continue;
        }
        let want = Level::parse(&p.level).unwrap();
        let agrees = tallies[usize::from(held)].add(want, got);
        if !held && want != got {
            println!(
                "{} development {}/{} {}→{}: labelled {} ({}), got {got} {rules:?}",
                if agrees { "level" } else { "MATERIALITY" },
                p.corpus,
                p.doc,
                &p.old[..3],
                &p.new[..3],
                p.level,
                p.confidence
            );
        }
    }
    for (name, t) in ["development", "held-aside"].iter().zip(&tallies) {
        println!(
            "{name}: {} pairs; materiality {}/{} ({:.0}%), exact level {}/{} ({:.0}%), re-consent on a change labelled editorial or minor: {}",
            t.pairs,
            t.materiality,
            t.pairs,
            100.0 * t.materiality as f64 / t.pairs.max(1) as f64,
            t.exact,
            t.pairs,
            100.0 * t.exact as f64 / t.pairs.max(1) as f64,
            t.reconsent_on_minor
        );
        t.print_confusion(name);
    }
    println!("degenerate pairs ({}), left out of the figures:", degenerate.len());
    for d in &degenerate {
        println!("  {d}");
    }
    let held = &tallies[1];
    assert!(held.pairs > 20, "expected the held-aside pairs, found {}", held.pairs);
    let ratio = |n: usize| n as f64 / held.pairs as f64;
    for (what, got, target) in [
        ("materiality", ratio(held.materiality), MATERIALITY_TARGET),
        ("exact level", ratio(held.exact), EXACT_TARGET),
    ] {
        if got < target {
            println!("TARGET NOT MET: held-aside {what} {got:.3} < {target}");
        }
    }
    assert!(
        ratio(held.materiality) >= MATERIALITY_FLOOR,
        "held-aside materiality {}/{}",
        held.materiality,
        held.pairs
    );
    assert!(
        ratio(held.exact) >= EXACT_FLOOR,
        "held-aside exact level {}/{}",
        held.exact,
        held.pairs
    );
    assert_eq!(
        held.reconsent_on_minor, 0,
        "re-consent on a held-aside change labelled editorial or minor"
    );
}

#[derive(Deserialize)]
struct SecondLabels {
    pair: Vec<SecondPair>,
}

#[derive(Deserialize)]
struct SecondPair {
    corpus: String,
    doc: String,
    old: String,
    new: String,
    level: String,
}

/// How often a second reader (`tests/second_labels.toml`: the shared labels' pairs read again,
/// blind to the first reading and to redline) agrees with the shared labels, part by part, and
/// how the judgement agrees with each reader. Pairs the second reader calls capture noise are
/// counted apart. The figures are pinned: DEVELOPERS.md quotes them.
#[test]
fn a_second_reader_agrees_with_the_shared_labels() {
    let Some(root) = corpus() else { return };
    let shared: Labels =
        toml::from_str(&std::fs::read_to_string(root.join("labels/dev-labels.toml")).unwrap())
            .unwrap();
    let second: SecondLabels = toml::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/second_labels.toml"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(second.pair.len(), 82);
    let criteria = Criteria::builtin();
    // Per part: readers against each other, the judgement against the shared labels, the
    // judgement against the second reader; and the pairs the second reader calls noise.
    let mut readers = [Tally::default(), Tally::default()];
    let mut against_first = [Tally::default(), Tally::default()];
    let mut against_second = [Tally::default(), Tally::default()];
    let mut noise = [0usize; 2];
    for q in &second.pair {
        let p = shared
            .pair
            .iter()
            .find(|p| (&p.corpus, &p.doc, &p.old, &p.new) == (&q.corpus, &q.doc, &q.old, &q.new))
            .unwrap_or_else(|| {
                panic!("{}/{} {}→{} is no shared pair", q.corpus, q.doc, q.old, q.new)
            });
        assert_ne!(p.level, "degenerate", "{}/{} {}", q.corpus, q.doc, q.old);
        let part = usize::from(p.part == "held-aside");
        if q.level == "degenerate" {
            noise[part] += 1;
            continue;
        }
        let (first, other) = (Level::parse(&p.level).unwrap(), Level::parse(&q.level).unwrap());
        let got = judge(&root.join(&p.corpus), &p.doc, &p.old, &p.new, &criteria).report.level;
        readers[part].add(first, other);
        against_first[part].add(first, got);
        against_second[part].add(other, got);
    }
    let mut figures = Vec::new();
    for (k, name) in ["development", "held-aside"].iter().enumerate() {
        let (r, a, b) = (&readers[k], &against_first[k], &against_second[k]);
        println!(
            "{name}: {} pairs the second reader also calls edits ({} capture noise); readers agree on materiality {}/{}, exact level {}/{}; the judgement agrees with the shared labels {}/{} and {}/{}, with the second reader {}/{} and {}/{}",
            r.pairs,
            noise[k],
            r.materiality,
            r.pairs,
            r.exact,
            r.pairs,
            a.materiality,
            a.pairs,
            a.exact,
            a.pairs,
            b.materiality,
            b.pairs,
            b.exact,
            b.pairs
        );
        figures.push((r.pairs, noise[k], r.materiality, r.exact));
    }
    assert_eq!(figures, [(51, 4, 48, 46), (26, 1, 24, 23)]);
}

#[derive(Deserialize)]
struct FreshLabels {
    pair: Vec<FreshPair>,
}

#[derive(Deserialize)]
struct FreshPair {
    draw: String,
    doc: String,
    old: String,
    new: String,
    level: String,
}

/// Development floors on `tests/fresh_labels.toml` (pairs of the shared OTA histories that the
/// shared labels leave out, labelled for redline): what the judgement reaches today, 246 of 282
/// pairs on materiality, and never re-consent on a change labelled editorial or minor.
const FRESH_MATERIALITY_FLOOR: usize = 246;

#[test]
fn judgement_agrees_with_the_pairs_labelled_for_redline() {
    let Some(root) = corpus() else { return };
    let labels: FreshLabels = toml::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fresh_labels.toml"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(labels.pair.len(), 555);
    let criteria = Criteria::builtin();
    let mut tally = Tally::default();
    for p in labels.pair.iter().filter(|p| p.level != "degenerate") {
        let c = judge(&root.join("ota"), &p.doc, &p.old, &p.new, &criteria);
        let got = c.report.level;
        let want = Level::parse(&p.level).unwrap();
        let agrees = tally.add(want, got);
        if want != got {
            println!(
                "{} draw {} ota/{} {}→{}: labelled {}, got {got}",
                if agrees { "level" } else { "MATERIALITY" },
                p.draw,
                p.doc,
                &p.old[..3],
                &p.new[..3],
                p.level
            );
        }
    }
    println!(
        "labelled for redline (development): {} pairs; materiality {}/{}, exact level {}/{}, re-consent on a change labelled editorial or minor: {}",
        tally.pairs,
        tally.materiality,
        tally.pairs,
        tally.exact,
        tally.pairs,
        tally.reconsent_on_minor
    );
    tally.print_confusion("labelled for redline");
    assert_eq!(tally.pairs, 282);
    assert!(tally.materiality >= FRESH_MATERIALITY_FLOOR, "materiality {}/282", tally.materiality);
    assert_eq!(tally.reconsent_on_minor, 0);
}
