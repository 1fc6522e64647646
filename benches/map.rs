//! The map benchmark: times whole `redline map --format json` processes (start-up, criteria
//! loading, lexicon compilation, outline and sentence-level categorisation all count) on the real
//! policy and on the five largest policy texts of `../shared/corpus/capp130`, and reports the
//! median wall time of each and the peak resident memory of all runs.
//!
//! Run with `cargo bench --bench map`; set `REDLINE_BENCH_RUNS` to change the number of runs
//! (default 15). The CAPP-130 texts are skipped with a message when the corpus is absent.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A map of one policy should stay well under this (a pre-commit hook or CI step runs it).
const TARGET: Duration = Duration::from_millis(100);

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_redline"));
    let runs: usize =
        std::env::var("REDLINE_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(15);
    let mut files = vec![root.join("policy/privacy.zh-CN.md")];
    let corpus = root.join("../shared/corpus/capp130");
    match std::fs::read_dir(&corpus) {
        Ok(entries) => {
            let mut texts: Vec<(u64, PathBuf)> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                .map(|p| (std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0), p))
                .collect();
            texts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            files.extend(texts.into_iter().take(5).map(|(_, p)| p));
        }
        Err(_) => println!("CAPP-130 texts skipped: {} is absent", corpus.display()),
    }
    println!("{:<40} {:>9} {:>10}", "file", "KiB", "median");
    let mut worst = Duration::ZERO;
    for file in &files {
        let times: Vec<Duration> = (0..runs)
            .map(|_| {
                let start = Instant::now();
                let status = Command::new(&bin)
                    .args(["map", "--format", "json"])
                    .arg(file)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .expect("spawn redline");
                assert!(status.success(), "redline map {} failed: {status}", file.display());
                start.elapsed()
            })
            .collect();
        let m = median(times);
        worst = worst.max(m);
        let name = file.file_name().unwrap_or_default().to_string_lossy().to_string();
        let kib = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0) as f64 / 1024.0;
        println!("{name:<40} {kib:>9.1} {:>8.1} ms", m.as_secs_f64() * 1000.0);
    }
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .expect("getrusage");
    println!(
        "slowest median {:.1} ms (target < {} ms); peak memory {:.1} MiB",
        worst.as_secs_f64() * 1000.0,
        TARGET.as_millis(),
        usage.max_rss() as f64 / 1024.0
    );
}
