//! Benchmark of `redline build` on a long real history: imports
//! `../shared/corpus/ota/yahoo` (161 versions, with flip-flops back to earlier texts and switches
//! between German, French and English) into a temporary policy repository, one release per
//! version (level computed from the diff with the previous one), then times the site build.
//!
//! It builds prefixes of the history too (40, 80, 120 and all 161 versions) to show how the time
//! grows with the number of versions. Target: at most 2 s for 161 versions on a 2-core machine.
//! Run with `cargo bench --bench build`. Skips (and says so) when the corpus is absent.

#[path = "../tests/site_fixture/mod.rs"]
mod site_fixture;

use site_fixture::Fixture;
use redline::site::{BuildOptions, build};
use std::path::Path;
use std::time::Instant;

fn import(files: &[std::path::PathBuf]) -> Fixture {
    let f = Fixture::with_config(
        "timezone = \"UTC\"\n[[documents]]\nid = \"yahoo\"\ntitle = \"Yahoo Privacy Policy\"\nsource_language = \"en\"\n",
    );
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy();
        let date = &name[4..14];
        f.write_source("yahoo.en.md", &String::from_utf8(std::fs::read(path).unwrap()).unwrap());
        f.release("yahoo", "", date, &format!("{date}T00:00:00Z"));
    }
    f
}

fn time_build(f: &Fixture, runs: usize) -> (f64, f64, redline::site::BuildSummary) {
    let repo = f.repo();
    let criteria = repo.criteria().unwrap();
    let opts = BuildOptions {
        out: f.root().join("site"),
        base_url: None,
        as_of: jiff::civil::date(2026, 1, 1),
        preview: false,
        templates: None,
    };
    let mut times = Vec::new();
    let mut summary = None;
    for _ in 0..runs {
        let start = Instant::now();
        summary = Some(build(&repo, &criteria, &opts, &|_, _| {}).unwrap());
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    (times[0], times[times.len() / 2], summary.unwrap())
}

fn main() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/ota/yahoo");
    if !corpus.is_dir() {
        println!(
            "skipped: {} not found (the corpus lives beside the repository)",
            corpus.display()
        );
        return;
    }
    let mut files: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    println!("yahoo corpus: {} versions", files.len());
    for n in [40, 80, 120, files.len()] {
        let n = n.min(files.len());
        let f = import(&files[..n]);
        let (min, median, s) = time_build(&f, 5);
        println!(
            "build {n:>3} versions: median {:>7.1} ms, min {:>7.1} ms ({:.2} ms/version) · {} pages, {} redlines ({} diffs computed), {:.1} MB",
            median * 1e3,
            min * 1e3,
            median * 1e3 / n as f64,
            s.pages,
            s.comparisons,
            s.diffs_computed,
            s.bytes as f64 / 1e6
        );
    }
}
