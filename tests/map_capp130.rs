//! Measures `redline map` on CAPP-130 (../shared/corpus/capp130): every sentence marked
//! `important` with at least one category is matched to the block (a line of the policy's
//! plain text) that holds it, and the block's categories are scored against the sentence's labels
//! (a sentence the annotators kept whole across several lines, such as a flattened table row or a
//! list of steps, is matched to that run of blocks and gets the union of their categories)
//! as multi-label micro- and macro-F1 over the eleven categories. The split into a development
//! part (lexicons tuned there, the model trained there) and a held-aside part is fixed in
//! tests/capp130_split.toml. The development figure here is in-sample; `examples/map_cv.rs`
//! gives the out-of-fold one the map's settings are chosen by.
//!
//! Prints the figures; skips with a printed reason when the corpus is absent. Run with
//! `cargo test --test map_capp130 -- --nocapture` to see them.

use redline::document::Document;
use redline::map::map_document;
use redline::rules::Criteria;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The macro-F1 the held-aside part reaches scored by blocks (asserted; the measured figure is
/// printed).
const HELD_ASIDE_MACRO_FLOOR: f64 = 0.79;

/// The macro-F1 the held-aside part reaches scored by the map's sentences (asserted).
const HELD_ASIDE_SENTENCE_MACRO_FLOOR: f64 = 0.82;

/// The macro-F1 aimed at on the held-aside part (printed as not met when under it).
const HELD_ASIDE_MACRO_TARGET: f64 = 0.80;

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/capp130");
    dir.join("categories.toml").is_file().then_some(dir)
}

/// Removes whitespace and the punctuation the annotators' sentence splitting changed.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && !",，。;；:：、.·•".contains(*c)).collect()
}

/// The longest run of blocks one sentence may span (a table row or a list of steps the
/// annotators kept as one sentence, laid out over several lines of the text).
const MAX_SPAN: usize = 40;

/// Where a sentence (squashed) lies among the squashed blocks, searching forward from block
/// `from` and wrapping: the first block that holds it whole, or else the first run of
/// consecutive blocks whose joined text holds it starting inside the run's first block.
/// Returns the first and last block of the run (equal when one block holds it).
fn locate(blocks: &[&str], from: usize, text: &str) -> Option<(usize, usize)> {
    if text.is_empty() {
        return None;
    }
    let n = blocks.len();
    let order = || (from..n).chain(0..from);
    if let Some(k) = order().find(|&k| blocks[k].contains(text)) {
        return Some((k, k));
    }
    for k in order() {
        let mut joined = blocks[k].to_string();
        for end in k + 1..n.min(k + MAX_SPAN) {
            if joined.len() >= blocks[k].len() + text.len() {
                break;
            }
            joined.push_str(blocks[end]);
            if let Some(at) = joined.find(text) {
                if at < blocks[k].len() {
                    return Some((k, end));
                }
                break;
            }
        }
    }
    None
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn f1(self) -> (f64, f64, f64) {
        let p = self.tp as f64 / (self.tp + self.fp).max(1) as f64;
        let r = self.tp as f64 / (self.tp + self.fn_).max(1) as f64;
        let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        (p, r, f)
    }
}

struct Score {
    per: BTreeMap<String, Counts>,
    sentences: usize,
    unmatched: usize,
    /// Sentences scored that were given no category.
    none: usize,
    policies: usize,
    missing_text: Vec<String>,
    /// With `REDLINE_CAPP_DUMP=<category>`: errors on that category per section title.
    confusion: BTreeMap<String, usize>,
}

impl Score {
    fn micro(&self) -> f64 {
        let mut all = Counts::default();
        for c in self.per.values() {
            all.tp += c.tp;
            all.fp += c.fp;
            all.fn_ += c.fn_;
        }
        all.f1().2
    }

    fn macro_(&self) -> f64 {
        self.per.values().map(|c| c.f1().2).sum::<f64>() / self.per.len() as f64
    }

    fn print(&self, name: &str) {
        println!(
            "{name}: {} policies ({} without text: {}), {} sentences scored ({} not found in the \
             text, {} given no category)",
            self.policies,
            self.missing_text.len(),
            self.missing_text.join(", "),
            self.sentences,
            self.unmatched,
            self.none
        );
        println!("  {:<16} {:>6} {:>6} {:>6}", "category", "P", "R", "F1");
        for (id, c) in &self.per {
            let (p, r, f) = c.f1();
            println!("  {id:<16} {p:>6.3} {r:>6.3} {f:>6.3}");
        }
        println!("  micro-F1 {:.3}  macro-F1 {:.3}", self.micro(), self.macro_());
    }
}

/// The counts of one scoring unit: the per-category counts of each sentence scored.
fn add(per: &mut BTreeMap<String, Counts>, predicted: &BTreeSet<String>, gold: &BTreeSet<String>) {
    for (cat, c) in per.iter_mut() {
        match (predicted.contains(cat), gold.contains(cat)) {
            (true, true) => c.tp += 1,
            (true, false) => c.fp += 1,
            (false, true) => c.fn_ += 1,
            (false, false) => {}
        }
    }
}

/// One block of a map as the scorer reads it.
struct Line<'m> {
    squashed: String,
    categories: &'m BTreeSet<String>,
    title: &'m str,
    /// Its sentences, squashed, with their own categories.
    sentences: Vec<(String, &'m BTreeSet<String>)>,
}

/// Scores the policies `ids` twice: with the categories of the block(s) that hold each annotated
/// sentence (the block unit) and with those of the map sentence(s) that hold it (the sentence
/// unit). The second is found inside the located blocks: the first map sentence that holds the
/// annotated one whole, searching from the map sentence that held the one before when it lies in
/// the same block, or else the run of consecutive map sentences it overlaps (union of their
/// categories). A map sentence holding several annotated sentences gives each its categories.
fn score(
    dir: &Path,
    ids: &[String],
    names: &BTreeMap<String, String>,
    criteria: &Criteria,
    dump_errors: bool,
) -> (Score, Score) {
    let empty = || Score {
        per: names.values().map(|id| (id.clone(), Counts::default())).collect(),
        sentences: 0,
        unmatched: 0,
        none: 0,
        policies: ids.len(),
        missing_text: Vec::new(),
        confusion: BTreeMap::new(),
    };
    let (mut s, mut u) = (empty(), empty());
    let dump = std::env::var("REDLINE_CAPP_DUMP").ok().filter(|_| dump_errors);
    for id in ids {
        let txt = dir.join(format!("{id}.txt"));
        let Ok(bytes) = std::fs::read(&txt) else {
            s.missing_text.push(id.clone());
            u.missing_text.push(id.clone());
            continue;
        };
        let doc = Document::from_bytes(&format!("{id}.txt"), &bytes).expect("corpus text parses");
        let map = map_document(&doc, criteria);
        let blocks: Vec<Line> = map
            .sections
            .iter()
            .flat_map(|sec| {
                sec.blocks.iter().map(|b| Line {
                    squashed: squash(&b.text),
                    categories: &b.categories,
                    title: sec.title.as_str(),
                    sentences: b
                        .sentences
                        .iter()
                        .map(|x| (squash(&x.text), &x.categories))
                        .collect(),
                })
            })
            .collect();
        for b in &blocks {
            // The sentences partition the block: their squashed texts make up the block's.
            let joined: String = b.sentences.iter().map(|x| x.0.as_str()).collect();
            assert_eq!(joined, b.squashed, "{id}: a block's sentences do not make up the block");
        }
        let squashed: Vec<&str> = blocks.iter().map(|b| b.squashed.as_str()).collect();
        let labels = std::fs::read_to_string(dir.join(format!("{id}.jsonl"))).unwrap();
        let mut pos = 0;
        // The map sentence (block, index) that held the last annotated sentence.
        let mut cursor = (usize::MAX, 0);
        for line in labels.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let text = squash(v["text"].as_str().unwrap());
            let found = locate(&squashed, pos, &text);
            if let Some((_, last)) = found {
                pos = last;
            }
            // The map sentences of the located blocks, and the run of them that holds it.
            let within = found.map(|(first, last)| {
                let run: Vec<(usize, usize)> = (first..=last)
                    .flat_map(|b| (0..blocks[b].sentences.len()).map(move |k| (b, k)))
                    .collect();
                let texts: Vec<&str> =
                    run.iter().map(|&(b, k)| blocks[b].sentences[k].0.as_str()).collect();
                let from = run.iter().position(|&at| at == cursor).unwrap_or(0);
                let held = locate(&texts, from, &text);
                if let Some((_, last)) = held {
                    cursor = run[last];
                }
                (run, held)
            });
            let gold: BTreeSet<String> = v["labels"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|l| names.get(l.as_str().unwrap()).cloned())
                .collect();
            if v["important"] != serde_json::Value::Bool(true) || gold.is_empty() {
                continue;
            }
            s.sentences += 1;
            u.sentences += 1;
            // A sentence spread over several blocks gets what the map says of all of them.
            let predicted: BTreeSet<String> = match found {
                Some((first, last)) => {
                    blocks[first..=last].iter().flat_map(|b| b.categories.iter().cloned()).collect()
                }
                None => {
                    s.unmatched += 1;
                    BTreeSet::new()
                }
            };
            let by_sentence: BTreeSet<String> = match within {
                Some((run, Some((a, b)))) => run[a..=b]
                    .iter()
                    .flat_map(|&(x, k)| blocks[x].sentences[k].1.iter().cloned())
                    .collect(),
                // Found among the blocks, so among their sentences, whose text is the same.
                Some((_, None)) => {
                    panic!("{id}: `{text}` is in its blocks but not their sentences")
                }
                None => {
                    u.unmatched += 1;
                    BTreeSet::new()
                }
            };
            if let (Some(dump), Some((k, _))) = (&dump, found) {
                let title: String = blocks[k].title.chars().take(30).collect();
                if predicted.contains(dump) && !gold.contains(dump) {
                    *s.confusion.entry(format!("FP {title}")).or_default() += 1;
                }
                if !predicted.contains(dump) && gold.contains(dump) {
                    *s.confusion.entry(format!("FN {title}")).or_default() += 1;
                }
                if by_sentence.contains(dump) && !gold.contains(dump) {
                    *u.confusion.entry(format!("FP {title}")).or_default() += 1;
                }
                if !by_sentence.contains(dump) && gold.contains(dump) {
                    *u.confusion.entry(format!("FN {title}")).or_default() += 1;
                }
            }
            s.none += usize::from(predicted.is_empty());
            u.none += usize::from(by_sentence.is_empty());
            add(&mut s.per, &predicted, &gold);
            add(&mut u.per, &by_sentence, &gold);
        }
    }
    (s, u)
}

fn list(table: &toml::Table, key: &str) -> Vec<String> {
    table[key].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
}

#[test]
fn map_scores_on_capp130() {
    let Some(dir) = corpus() else {
        println!(
            "skipped: ../shared/corpus/capp130 is absent (CAPP-130 is test data kept outside the repository)"
        );
        return;
    };
    let categories: toml::Table =
        toml::from_str(&std::fs::read_to_string(dir.join("categories.toml")).unwrap()).unwrap();
    let names: BTreeMap<String, String> = categories["category"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (c["dataset_name"].as_str().unwrap().to_string(), c["id"].as_str().unwrap().to_string())
        })
        .collect();
    assert_eq!(names.len(), 11);
    let split: toml::Table = toml::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/capp130_split.toml"),
        )
        .unwrap(),
    )
    .unwrap();
    let (dev, held) = (list(&split, "development"), list(&split, "held_aside"));
    assert_eq!(dev.len() + held.len(), 90);
    assert!(dev.iter().all(|d| !held.contains(d)), "the two parts overlap");
    let criteria = Criteria::builtin();
    let (dev_block, dev_sentence) = score(&dir, &dev, &names, &criteria, true);
    let (held_block, held_sentence) = score(&dir, &held, &names, &criteria, false);
    dev_block.print("development (in-sample), block unit");
    dev_sentence.print("development (in-sample), sentence unit");
    // Error analysis on the development part only (the held-aside part is never inspected).
    for (unit, score) in [("block", &dev_block), ("sentence", &dev_sentence)] {
        let mut confusion: Vec<(&String, &usize)> = score.confusion.iter().collect();
        confusion.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (k, n) in confusion.iter().take(40) {
            println!("    {unit} {n:>4} {k}");
        }
    }
    held_block.print("held aside, block unit");
    held_sentence.print("held aside, sentence unit");
    for (unit, score) in [("block", &held_block), ("sentence", &held_sentence)] {
        let met = if score.macro_() >= HELD_ASIDE_MACRO_TARGET { "met" } else { "not met" };
        println!(
            "held-aside macro-F1 through map, {unit} unit: {:.3}; target {HELD_ASIDE_MACRO_TARGET} {met}",
            score.macro_()
        );
    }
    assert!(held_block.sentences > 4000, "too few sentences matched: {}", held_block.sentences);
    assert_eq!(held_block.sentences, held_sentence.sentences);
    assert_eq!(held_block.unmatched, held_sentence.unmatched);
    assert!(
        held_block.macro_() >= HELD_ASIDE_MACRO_FLOOR,
        "held-aside macro-F1 (block unit) {:.3} fell below {HELD_ASIDE_MACRO_FLOOR}",
        held_block.macro_()
    );
    assert!(
        held_sentence.macro_() >= HELD_ASIDE_SENTENCE_MACRO_FLOOR,
        "held-aside macro-F1 (sentence unit) {:.3} fell below {HELD_ASIDE_SENTENCE_MACRO_FLOOR}",
        held_sentence.macro_()
    );
}
