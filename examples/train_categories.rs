//! Trains the Chinese practice-category model on CAPP-130's development part and writes its
//! weights:
//!
//! ```sh
//! cargo run --release --example train_categories -- ../shared/corpus/capp130 src/learned/capp130.weights
//! ```
//!
//! The split is `tests/capp130_split.toml`; only its `development` policies are read. The same
//! corpus gives byte-identical weights (the test `learned_weights_are_reproducible` retrains
//! and compares their SHA-256 with the committed file). Prints the cross-validated figures on
//! the development part and the time taken.
//!
//! For tuning experiments, `--epochs N`, `--rate R`, `--l2 X`, `--blocks W` (the weight of a
//! block read whole) and `--baseline` (the sentence's character n-grams only) change the
//! settings; the committed weights use the defaults. `examples/map_cv.rs` measures `redline map`
//! itself out of fold on the development part.

use redline::learned::{CATEGORIES, Settings, Split, train};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut positional = Vec::new();
    let mut settings = Settings::default();
    while let Some(a) = args.next() {
        let mut value = |name: &str| -> f64 {
            args.next().and_then(|v| v.parse().ok()).unwrap_or_else(|| {
                eprintln!("{name} needs a number");
                std::process::exit(2)
            })
        };
        match a.as_str() {
            "--epochs" => settings.epochs = value("--epochs") as usize,
            "--rate" => settings.rate = value("--rate"),
            "--l2" => settings.l2 = value("--l2"),
            "--blocks" => settings.blocks = value("--blocks"),
            "--baseline" => {
                settings = Settings {
                    epochs: settings.epochs,
                    rate: settings.rate,
                    l2: settings.l2,
                    ..Settings::baseline()
                }
            }
            _ => positional.push(a),
        }
    }
    let [corpus, out] = positional.as_slice() else {
        eprintln!(
            "usage: train_categories CORPUS_DIR OUT_FILE [--epochs N] [--rate R] [--l2 X] [--blocks W] [--baseline]"
        );
        return ExitCode::from(2);
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
    let start = Instant::now();
    let mut read = |name: &str| std::fs::read(dir.join(name)).ok();
    let (model, report) = match train(&split, &mut read, &settings) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{}: {e}", dir.display());
            return ExitCode::from(2);
        }
    };
    let bytes = model.to_bytes();
    let out = PathBuf::from(out);
    let tmp = out.with_extension("tmp");
    if let Err(e) = std::fs::write(&tmp, &bytes).and_then(|_| std::fs::rename(&tmp, &out)) {
        eprintln!("{}: {e}", out.display());
        return ExitCode::from(2);
    }
    let cv = &report.cross_validated;
    eprintln!(
        "trained on {} development policies, {} sentences, in {:.1} s; wrote {} ({} bytes)",
        report.policies,
        report.sentences,
        start.elapsed().as_secs_f64(),
        out.display(),
        bytes.len()
    );
    eprintln!(
        "cross-validated on development ({} sentences): micro-F1 {:.3} macro-F1 {:.3}",
        cv.sentences,
        cv.micro_f1(),
        cv.macro_f1()
    );
    for (k, c) in cv.per.iter().enumerate() {
        eprintln!("  {:<16} F1 {:.3}  threshold {:.2}", CATEGORIES[k], c.f1(), model.thresholds[k]);
    }
    eprintln!("  {:<16} threshold {:.2}", "practice", model.thresholds[11]);
    ExitCode::SUCCESS
}
