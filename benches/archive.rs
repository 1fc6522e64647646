//! Benchmark of the archive on a real history: import every version of a corpus service into a
//! temporary repository, then build the consent manifest (one direct diff per version) and
//! verify the archive (hashes, chain, git history). Prints the best of a few runs per stage.
//!
//! `cargo bench --bench archive [-- SERVICE]` (default `yahoo`, the longest history of
//! `../shared/corpus/ota`). Skips with a message when the corpus is absent.

use redline::repo::PolicyRepo;
use std::path::Path;
use std::time::{Duration, Instant};

const RUNS: usize = 3;

fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

fn best(times: &[Duration]) -> String {
    format!("{:.1} ms", times.iter().min().unwrap().as_secs_f64() * 1000.0)
}

fn main() {
    let service = std::env::args().skip(1).find(|a| !a.starts_with('-')).unwrap_or("yahoo".into());
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/ota").join(&service);
    if !source.is_dir() {
        println!("archive benchmark skipped: {} is absent", source.display());
        return;
    }
    let (mut plan_t, mut write_t, mut manifest_t, mut verify_t) = (vec![], vec![], vec![], vec![]);
    let mut versions = 0;
    for _ in 0..RUNS {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("policy")).unwrap();
        std::fs::write(
            root.join("policy/policy.toml"),
            format!("[[documents]]\nid = \"{service}\"\nsource_language = \"en\"\n"),
        )
        .unwrap();
        let repo = PolicyRepo::open(root).unwrap();
        let criteria = redline::release::JudgedCriteria::of(&repo).unwrap();
        let (candidates, _) = redline::import::from_dir(&source, &service).unwrap();

        let t = Instant::now();
        let plan = redline::import::plan(
            &repo,
            &criteria,
            &service,
            candidates,
            "",
            "2026-01-01T00:00:00Z",
        )
        .unwrap();
        plan_t.push(t.elapsed());
        versions = plan.releases.len();

        let t = Instant::now();
        redline::import::write(&repo, &plan).unwrap();
        write_t.push(t.elapsed());

        git(root, &["init", "-q"]);
        git(root, &["-c", "user.name=b", "-c", "user.email=b@example.com", "add", "-A"]);
        git(
            root,
            &["-c", "user.name=b", "-c", "user.email=b@example.com", "commit", "-qm", "import"],
        );

        let t = Instant::now();
        let m =
            redline::consent::manifest(&repo, &criteria.criteria, "2026-01-01".parse().unwrap())
                .unwrap();
        manifest_t.push(t.elapsed());
        assert_eq!(m.documents[&service].versions.len(), versions);

        let t = Instant::now();
        let v = redline::verify::verify(&repo).unwrap();
        verify_t.push(t.elapsed());
        assert!(v.problems.is_empty(), "{:?}", v.problems);
        assert_eq!(v.rejudged, versions, "every imported release is judged again");
    }
    println!("archive benchmark: {service}, {versions} versions, best of {RUNS}");
    println!("  import: classify   {}", best(&plan_t));
    println!("  import: write      {}", best(&write_t));
    println!("  consent manifest   {}", best(&manifest_t));
    println!("  verify (with git)  {}", best(&verify_t));
}
