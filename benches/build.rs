//! Benchmark of `redline build` on a long real history: imports
//! `../shared/corpus/ota/yahoo` (161 versions, with flip-flops back to earlier texts and switches
//! between German, French and English) into a temporary policy repository, one release per
//! version (level computed from the diff with the previous one), then times the site build.
//!
//! It builds prefixes of the history too (40, 80, 120 and all 161 versions) to show how the time
//! grows with the number of versions. Target: at most 2 s for 161 versions on a 2-core machine.
//! Run with `cargo bench --bench build`. Skips (and says so) when the corpus is absent. With
//! `BENCH_KEEP_REPO=1` the imported 161-version repository is kept (for profiling `redline build`).

#[path = "../tests/site_fixture/mod.rs"]
mod site_fixture;

use redline::site::{BuildOptions, build};
use site_fixture::Fixture;
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

/// Times `runs` builds: fresh ones (no previous site, as in CI's fresh clone) and rebuilds
/// (replacing the previous site, whose files must then be deleted). Returns sorted seconds.
fn time_build(f: &Fixture, runs: usize, fresh: bool) -> (Vec<f64>, redline::site::BuildSummary) {
    let repo = f.repo();
    let criteria = repo.criteria().unwrap();
    let out = f.root().join("site");
    let opts = BuildOptions {
        out: out.clone(),
        base_url: None,
        as_of: jiff::civil::date(2026, 1, 1),
        preview: false,
        templates: None,
        audit: false,
    };
    let mut times = Vec::new();
    let mut summary = None;
    for _ in 0..runs {
        if fresh && out.exists() {
            std::fs::remove_dir_all(&out).unwrap();
        }
        let start = Instant::now();
        summary = Some(build(&repo, &criteria, &opts, &|_, _| {}).unwrap());
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    (times, summary.unwrap())
}

/// CPU time (user + system) of this process so far, in seconds (Linux; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
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
        let cpu = cpu_seconds();
        let (fresh, s) = time_build(&f, 5, true);
        let cpu = (cpu_seconds() - cpu) / 5.0;
        let (rebuild, _) = time_build(&f, 3, false);
        println!(
            "build {n:>3} versions: fresh median {:>6.0} ms (min {:>6.0} ms, {:.1} ms/version, CPU {:>5.0} ms), rebuild median {:>6.0} ms · {} pages, {} redlines ({} diffs computed), {:.1} MB",
            fresh[fresh.len() / 2] * 1e3,
            fresh[0] * 1e3,
            fresh[fresh.len() / 2] * 1e3 / n as f64,
            cpu * 1e3,
            rebuild[rebuild.len() / 2] * 1e3,
            s.pages,
            s.comparisons,
            s.diffs_computed,
            s.bytes as f64 / 1e6
        );
        if n == files.len() && std::env::var_os("BENCH_KEEP_REPO").is_some() {
            let kept = f.dir.keep();
            println!("    kept the repository at {} (BENCH_KEEP_REPO)", kept.display());
            continue;
        }
        let mut by_kind: std::collections::BTreeMap<&str, (usize, u64)> = Default::default();
        for (name, bytes) in site_fixture::tree(&f.root().join("site")) {
            let kind = if name.contains("/compare/") {
                "redline pages"
            } else if name.ends_with(".md") {
                "raw sources"
            } else if name.ends_with("index.html") {
                "version pages"
            } else {
                "other"
            };
            let e = by_kind.entry(kind).or_default();
            e.0 += 1;
            e.1 += bytes.len() as u64;
        }
        for (kind, (n, bytes)) in by_kind {
            println!("    {kind}: {n} files, {:.1} MB", bytes as f64 / 1e6);
        }
    }
}
