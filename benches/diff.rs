//! The diff benchmark of issue 2: times the whole `redline diff --format json` process side by
//! side with `git diff --no-index --word-diff=porcelain` on the real policy pair (the policy and
//! a copy with an advertising SDK row added) and on the five largest pairs of consecutive
//! distinct versions in `../shared/corpus/ota` (by combined bytes), then a synthetic 1 MB full
//! rewrite. Start-up, rule loading and lexicon compilation count: each run is a fresh process.
//!
//! Reports, per pair: median wall time of both tools over the runs, their ratio, and redline's
//! peak resident memory (from `wait4`). Then the real policy pair again inside this repository
//! (judged under `policy/criteria.toml`), and start-up on its own: `redline --version`, and a
//! diff of two empty files (the criteria load, nothing is judged). Run with
//! `cargo bench --bench diff`; set `REDLINE_BENCH_RUNS` to change the number of runs (default
//! 15).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TARGET_RATIO: f64 = 1.5;
const TARGET_RSS_MIB: f64 = 50.0;
const TARGET_LARGE: Duration = Duration::from_secs(1);
const TARGET_REAL: Duration = Duration::from_millis(20);

/// Runs `cmd` to completion, discarding output; returns the wall time.
fn run(cmd: &mut Command) -> Duration {
    let start = Instant::now();
    let status = cmd.stdout(Stdio::null()).stderr(Stdio::null()).status().expect("spawn");
    assert!(status.code().is_some_and(|c| c <= 1), "{cmd:?} failed: {status}");
    start.elapsed()
}

/// The largest peak resident memory (MiB) of any child waited for so far.
fn children_peak_mib() -> f64 {
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .expect("getrusage");
    usage.max_rss() as f64 / 1024.0
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

struct Pair {
    name: String,
    old: PathBuf,
    new: PathBuf,
}

fn ota_pairs(corpus: &Path) -> Vec<Pair> {
    let mut pairs: Vec<(usize, Pair)> = Vec::new();
    let Ok(services) = std::fs::read_dir(corpus.join("ota")) else { return Vec::new() };
    for service in services.flatten() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(service.path())
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                matches!(p.extension().and_then(|e| e.to_str()), Some("md" | "mdx" | "txt"))
            })
            .collect();
        files.sort();
        for w in files.windows(2) {
            let (a, b) = (std::fs::read(&w[0]).unwrap(), std::fs::read(&w[1]).unwrap());
            if a != b {
                let name = format!(
                    "{}/{} → {}",
                    service.file_name().to_string_lossy(),
                    w[0].file_name().unwrap().to_string_lossy(),
                    w[1].file_name().unwrap().to_string_lossy()
                );
                pairs
                    .push((a.len() + b.len(), Pair { name, old: w[0].clone(), new: w[1].clone() }));
            }
        }
    }
    pairs.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.name.cmp(&y.1.name)));
    pairs.into_iter().take(5).map(|(_, p)| p).collect()
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_redline"));
    let runs: usize =
        std::env::var("REDLINE_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(15);
    let work = tempfile::tempdir().unwrap();
    // Outside a policy repository, like any two files: the built-in profile.
    let policy = std::fs::read_to_string(root.join("policy/privacy.zh-CN.md")).unwrap();
    let edited = policy.replace(
        "| 友盟推送 |",
        "| 穿山甲广告SDK | 用于向您展示个性化广告并进行广告效果归因 | 设备信息、OAID、IDFA、应用安装列表 | 北京巨量引擎网络技术有限公司 | 《穿山甲隐私政策》 |\n| 友盟推送 |",
    );
    std::fs::write(work.path().join("privacy.zh-CN.md"), &policy).unwrap();
    std::fs::write(work.path().join("privacy-ads.zh-CN.md"), &edited).unwrap();
    let mut pairs = vec![Pair {
        name: "real policy + advertising SDK row".to_string(),
        old: work.path().join("privacy.zh-CN.md"),
        new: work.path().join("privacy-ads.zh-CN.md"),
    }];
    let corpus = root.join("../shared/corpus");
    let ota = ota_pairs(&corpus);
    if ota.is_empty() {
        println!("note: {} is absent; only the real policy pair is timed", corpus.display());
    }
    pairs.extend(ota);

    println!("{:<52} {:>10} {:>10} {:>7}", "pair", "redline", "git", "ratio");
    let mut ratios = Vec::new();
    let mut timings = Vec::new();
    // All redline runs first: RUSAGE_CHILDREN then holds redline's peak, not git's.
    for pair in &pairs {
        let ours: Vec<Duration> = (0..runs)
            .map(|_| {
                run(Command::new(&bin)
                    .arg("diff")
                    .arg(&pair.old)
                    .arg(&pair.new)
                    .args(["--format", "json"])
                    .current_dir(work.path()))
            })
            .collect();
        timings.push(median(ours));
    }
    let worst_rss = children_peak_mib();
    let real_outside = timings[0];
    for (pair, a) in pairs.iter().zip(timings) {
        let theirs: Vec<Duration> = (0..runs)
            .map(|_| {
                run(Command::new("git")
                    .args(["diff", "--no-index", "--word-diff=porcelain"])
                    .arg(&pair.old)
                    .arg(&pair.new)
                    .current_dir(work.path()))
            })
            .collect();
        let b = median(theirs);
        let ratio = a.as_secs_f64() / b.as_secs_f64();
        ratios.push(ratio);
        println!(
            "{:<52} {:>8.1}ms {:>8.1}ms {:>7.2}",
            pair.name,
            a.as_secs_f64() * 1e3,
            b.as_secs_f64() * 1e3,
            ratio
        );
    }
    // The real policy inside this repository (policy/criteria.toml), and start-up alone.
    let time = |cmd: &mut dyn FnMut() -> Command| -> Duration {
        median((0..runs).map(|_| run(&mut cmd())).collect())
    };
    let real_inside = time(&mut || {
        let mut c = Command::new(&bin);
        c.arg("diff").arg(&pairs[0].old).arg(&pairs[0].new).args(["--format", "json"]);
        c.current_dir(root);
        c
    });
    std::fs::write(work.path().join("empty-old.md"), "").unwrap();
    std::fs::write(work.path().join("empty-new.md"), "").unwrap();
    let version = time(&mut || {
        let mut c = Command::new(&bin);
        c.arg("--version");
        c
    });
    let empty = time(&mut || {
        let mut c = Command::new(&bin);
        c.args(["diff", "empty-old.md", "empty-new.md", "--format", "json"]);
        c.current_dir(work.path());
        c
    });
    println!(
        "{:<52} {:>8.1}ms",
        "real policy, inside the repository (criteria.toml)",
        real_inside.as_secs_f64() * 1e3
    );
    println!("{:<52} {:>8.1}ms", "start-up: redline --version", version.as_secs_f64() * 1e3);
    println!(
        "{:<52} {:>8.1}ms",
        "start-up: diff of two empty files (built-in)",
        empty.as_secs_f64() * 1e3
    );
    let mut sorted = ratios.clone();
    sorted.sort_by(f64::total_cmp);
    let median_ratio = sorted[sorted.len() / 2];

    // A 1 MB full rewrite: two unrelated large documents (the newest versions of the two largest
    // pairs, repeated), each about 512 KiB.
    let big: Vec<String> =
        pairs.iter().skip(1).take(2).map(|p| std::fs::read_to_string(&p.new).unwrap()).collect();
    let large_time = if big.len() == 2 {
        let half = 512 * 1024;
        let grow = |s: &str| {
            let long = s.repeat(half / s.len().max(1) + 1);
            let cut =
                long.char_indices().map(|(i, _)| i).find(|&i| i >= half).unwrap_or(long.len());
            long[..cut].to_string()
        };
        std::fs::write(work.path().join("rewrite-old.md"), grow(&big[0])).unwrap();
        std::fs::write(work.path().join("rewrite-new.md"), grow(&big[1])).unwrap();
        let size = std::fs::metadata(work.path().join("rewrite-old.md")).unwrap().len()
            + std::fs::metadata(work.path().join("rewrite-new.md")).unwrap().len();
        let t = run(Command::new(&bin)
            .args(["diff", "rewrite-old.md", "rewrite-new.md", "--format", "json"])
            .current_dir(work.path()));
        println!(
            "{:<52} {:>8.1}ms   (peak of all runs so far: {:.1} MiB)",
            format!("full rewrite, {} KiB", size / 1024),
            t.as_secs_f64() * 1e3,
            children_peak_mib()
        );
        Some(t)
    } else {
        None
    };

    println!();
    println!(
        "real policy: {:.1} ms outside a repository, {:.1} ms inside (target < {} ms)",
        real_outside.as_secs_f64() * 1e3,
        real_inside.as_secs_f64() * 1e3,
        TARGET_REAL.as_millis()
    );
    println!("median ratio redline/git: {median_ratio:.2} (target ≤ {TARGET_RATIO})");
    println!("peak memory of the redline runs: {worst_rss:.1} MiB (target < {TARGET_RSS_MIB} MiB)");
    if let Some(t) = large_time {
        println!(
            "1 MB full rewrite: {:.0} ms (target < {} ms)",
            t.as_secs_f64() * 1e3,
            TARGET_LARGE.as_millis()
        );
    }
}
