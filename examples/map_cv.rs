//! Measures `redline map` on CAPP-130's development part out of fold: the trainer's five
//! cross-validation models (each trained without one fold of whole policy families) map the
//! policies they never saw, and each important sentence with a category is scored twice, exactly
//! as `tests/map_capp130.rs` scores the held-aside part with the committed model: against the
//! categories of the block(s) that hold it (the block unit) and against those of the map's
//! sentence(s) that hold it inside those blocks (the sentence unit). Only `development` policies
//! are read.
//!
//! ```sh
//! cargo run --release --example map_cv -- ../shared/corpus/capp130
//! ```
//!
//! This is the figure any setting of the map's learned path (the weight of blocks in training,
//! `--blocks W`; the whole block's vote, `redline::map::LINE_VOTE`) is chosen by; the held-aside
//! part is only ever measured.

use redline::document::Document;
use redline::learned::{CATEGORIES, DATASET_NAMES, Settings, Split, locate, squash, train};
use redline::map::map_document_with_model;
use redline::rules::Criteria;
use std::path::PathBuf;
use std::process::ExitCode;

/// A block of a map: its squashed text, its categories and its sentences' (squashed, with their
/// categories; bit sets over the eleven categories).
type Line = (String, u16, Vec<(String, u16)>);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut settings = Settings::default();
    let corpus = match args.as_slice() {
        [corpus] => corpus,
        [corpus, flag, w] if flag == "--blocks" && w.parse::<f64>().is_ok() => {
            settings.blocks = w.parse().unwrap_or(settings.blocks);
            corpus
        }
        _ => {
            eprintln!("usage: map_cv CORPUS_DIR [--blocks W]");
            return ExitCode::from(2);
        }
    };
    let split_path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/capp130_split.toml");
    let split = match Split::load(&split_path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let dir = PathBuf::from(corpus);
    let held = split.held_aside.clone();
    let mut read = |name: &str| {
        let id = name.split('.').next().unwrap_or(name);
        assert!(!held.iter().any(|h| h == id), "asked for held-aside {id}");
        std::fs::read(dir.join(name)).ok()
    };
    let (_, report) = match train(&split, &mut read, &settings) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{}: {e}", dir.display());
            return ExitCode::from(2);
        }
    };
    let criteria = Criteria::builtin();
    // Per unit (block, sentence) and category: true positives, false positives, false negatives.
    let mut counts = [[(0usize, 0usize, 0usize); 11]; 2];
    let mut scored = 0;
    let bits = |set: &std::collections::BTreeSet<String>| {
        set.iter()
            .filter_map(|c| CATEGORIES.iter().position(|x| x == c))
            .fold(0u16, |a, k| a | 1 << k)
    };
    for (model, ids) in &report.folds {
        for id in ids {
            let Some(bytes) = read(&format!("{id}.txt")) else { continue };
            let Some(labels) = read(&format!("{id}.jsonl")) else { continue };
            let doc = match Document::from_bytes(&format!("{id}.txt"), &bytes) {
                Ok(d) => d,
                Err(e) => {
                    eprintln!("{id}.txt: {e}");
                    return ExitCode::from(2);
                }
            };
            let map = map_document_with_model(&doc, &criteria, model);
            // Each block: its squashed text and categories, and its sentences'.
            let blocks: Vec<Line> = map
                .sections
                .iter()
                .flat_map(|s| s.blocks.iter())
                .map(|b| {
                    let sentences = b
                        .sentences
                        .iter()
                        .map(|x| (squash(&x.text), bits(&x.categories)))
                        .collect();
                    (squash(&b.text), bits(&b.categories), sentences)
                })
                .collect();
            let refs: Vec<&str> = blocks.iter().map(|b| b.0.as_str()).collect();
            let mut pos = 0;
            // The map sentence (block, index) that held the last annotated sentence.
            let mut cursor = (usize::MAX, 0);
            for (n, line) in String::from_utf8_lossy(&labels).lines().enumerate() {
                let v: serde_json::Value = match serde_json::from_str(line) {
                    Ok(v) => v,
                    Err(e) => {
                        eprintln!("{id}.jsonl:{}: {e}", n + 1);
                        return ExitCode::from(2);
                    }
                };
                let text = squash(v["text"].as_str().unwrap_or(""));
                let found = locate(&refs, pos, &text);
                if let Some((_, last)) = found {
                    pos = last;
                }
                // The map sentences of the located blocks that hold it, as the test finds them.
                let by_sentence = found.map_or(0, |(first, last)| {
                    let run: Vec<(usize, usize)> = (first..=last)
                        .flat_map(|b| (0..blocks[b].2.len()).map(move |k| (b, k)))
                        .collect();
                    let texts: Vec<&str> =
                        run.iter().map(|&(b, k)| blocks[b].2[k].0.as_str()).collect();
                    let from = run.iter().position(|&at| at == cursor).unwrap_or(0);
                    let (a, z) = locate(&texts, from, &text).unwrap_or((0, run.len() - 1));
                    cursor = run[z];
                    run[a..=z].iter().fold(0, |s, &(b, k)| s | blocks[b].2[k].1)
                });
                let gold = v["labels"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|l| DATASET_NAMES.iter().position(|n| Some(*n) == l.as_str()))
                    .fold(0u16, |a, k| a | 1 << k);
                if v["important"] != serde_json::Value::Bool(true) || gold == 0 {
                    continue;
                }
                scored += 1;
                let by_block =
                    found.map_or(0, |(a, b)| blocks[a..=b].iter().fold(0, |s, x| s | x.1));
                for (unit, predicted) in [by_block, by_sentence].into_iter().enumerate() {
                    for (k, c) in counts[unit].iter_mut().enumerate() {
                        match (predicted & (1 << k) != 0, gold & (1 << k) != 0) {
                            (true, true) => c.0 += 1,
                            (true, false) => c.1 += 1,
                            (false, true) => c.2 += 1,
                            _ => {}
                        }
                    }
                }
            }
        }
    }
    let f1 = |c: (usize, usize, usize)| {
        let d = 2 * c.0 + c.1 + c.2;
        if d == 0 { 0.0 } else { 2.0 * c.0 as f64 / d as f64 }
    };
    let cv = &report.cross_validated;
    let sent: Vec<String> =
        CATEGORIES.iter().zip(&cv.per).map(|(n, c)| format!("{n} {:.3}", c.f1())).collect();
    println!(
        "development, out of fold: per annotated sentence micro-F1 {:.3} macro-F1 {:.3} ({} sentences)\n    {}",
        cv.micro_f1(),
        cv.macro_f1(),
        cv.sentences,
        sent.join(", ")
    );
    for (unit, counts) in ["block", "sentence"].iter().zip(&counts) {
        let per: Vec<String> =
            CATEGORIES.iter().zip(counts).map(|(n, c)| format!("{n} {:.3}", f1(*c))).collect();
        let macro_f1 = counts.iter().map(|c| f1(*c)).sum::<f64>() / 11.0;
        let micro_f1 = f1(counts.iter().fold((0, 0, 0), |a, c| (a.0 + c.0, a.1 + c.1, a.2 + c.2)));
        println!(
            "development, out of fold: through map, {unit} unit, micro-F1 {micro_f1:.3} macro-F1 \
             {macro_f1:.3} ({scored} sentences)\n    {}",
            per.join(", ")
        );
    }
    ExitCode::SUCCESS
}
