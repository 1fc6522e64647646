//! Corpus tests on real policy histories in `../shared/corpus` (read at test time, never copied):
//! every version pair parses and diffs; in GitHub's site-policy history every change whose
//! evidence is `diff-mechanical` must come out `editorial`; GitHub's own material / not-material
//! labels of its privacy statement must all agree (material: at least major; not material: at
//! most minor), and the agreement on the other three documents is printed. Skips with a printed
//! reason when the corpus is absent.

use redline::Level;
use redline::document::Document;
use redline::report::{Side, compare_documents};
use redline::rules::Criteria;
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: {} is absent", dir.display());
        None
    }
}

fn load(path: &Path) -> Document {
    let bytes = std::fs::read(path).unwrap();
    let label = path.display().to_string();
    Document::from_bytes(&label, &bytes).unwrap_or_else(|e| panic!("{e}"))
}

fn level(old: &Path, new: &Path, criteria: &Criteria) -> (Level, String) {
    let (a, b) = (load(old), load(new));
    let c = compare_documents(
        "corpus",
        Side::file(&old.display().to_string()),
        Side::file(&new.display().to_string()),
        a,
        b,
        criteria,
    );
    let rules: Vec<String> = c
        .report
        .findings
        .iter()
        .filter(|f| f.level == c.report.level)
        .map(|f| f.rule.clone())
        .collect();
    (c.report.level, rules.join(","))
}

fn version_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("md" | "mdx" | "txt")))
        .collect();
    files.sort();
    files
}

#[derive(serde::Deserialize)]
struct Versions {
    version: Vec<VersionEntry>,
}

#[derive(serde::Deserialize)]
struct VersionEntry {
    file: String,
    parent: String,
    change_kind: String,
    material: toml::Value,
    evidence_kind: String,
}

#[test]
fn every_consecutive_pair_parses_and_diffs() {
    let Some(root) = corpus() else { return };
    let criteria = Criteria::builtin();
    let mut pairs = 0;
    for group in ["ota", "zh"] {
        for entry in std::fs::read_dir(root.join(group)).unwrap() {
            let dir = entry.unwrap().path();
            if !dir.is_dir() {
                continue;
            }
            let files = version_files(&dir);
            for w in files.windows(2) {
                let (level, _) = level(&w[0], &w[1], &criteria);
                let same = std::fs::read(&w[0]).unwrap() == std::fs::read(&w[1]).unwrap();
                assert_eq!(level == Level::None, same, "{} → {}", w[0].display(), w[1].display());
                pairs += 1;
            }
        }
    }
    println!("{pairs} consecutive pairs diffed");
    assert!(pairs > 700, "expected the whole corpus, diffed {pairs} pairs");
}

#[test]
fn site_policy_mechanical_changes_are_editorial_and_labels_agree() {
    let Some(root) = corpus() else { return };
    let criteria = Criteria::builtin();
    let mut mechanical = 0;
    let mut failures = Vec::new();
    let mut tallies: Vec<(&str, usize, usize)> = Vec::new();
    let mut disagreements = Vec::new();
    for doc in
        ["privacy-statement", "terms-of-service", "acceptable-use-policies", "community-guidelines"]
    {
        let (mut agree, mut labelled) = (0, 0);
        let dir = root.join("site-policy").join(doc);
        let versions: Versions =
            toml::from_str(&std::fs::read_to_string(dir.join("versions.toml")).unwrap()).unwrap();
        for v in versions.version.iter().filter(|v| !v.parent.is_empty()) {
            let (level, rules) = level(&dir.join(&v.parent), &dir.join(&v.file), &criteria);
            if v.evidence_kind == "diff-mechanical" {
                mechanical += 1;
                if level > Level::Editorial {
                    failures.push(format!("{doc}/{} ({}): {level} {rules}", v.file, v.change_kind));
                }
                continue;
            }
            let material = match &v.material {
                toml::Value::Boolean(b) => *b,
                _ => continue,
            };
            labelled += 1;
            let ok = if material { level >= Level::Major } else { level <= Level::Minor };
            if ok {
                agree += 1;
            } else {
                disagreements.push((
                    doc,
                    format!(
                        "{doc}/{}: labelled material={material}, got {level} ({rules})",
                        v.file
                    ),
                ));
            }
        }
        tallies.push((doc, agree, labelled));
    }
    println!("diff-mechanical changes: {mechanical}, not editorial: {}", failures.len());
    for f in &failures {
        println!("  {f}");
    }
    for (doc, agree, labelled) in &tallies {
        println!("{doc}: GitHub's materiality labels {agree}/{labelled} agree");
    }
    for (_, d) in &disagreements {
        println!("  {d}");
    }
    let privacy: Vec<&String> = disagreements
        .iter()
        .filter(|(doc, _)| *doc == "privacy-statement")
        .map(|(_, d)| d)
        .collect();
    // Every privacy-statement label must agree.
    assert!(privacy.is_empty(), "privacy-statement labels disagree: {privacy:?}");
    assert!(mechanical >= 100, "expected the diff-mechanical labels, found {mechanical}");
    assert!(failures.is_empty(), "{} diff-mechanical changes were not editorial", failures.len());
}
