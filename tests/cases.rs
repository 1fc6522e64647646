//! Runs the fixture pairs of `tests/cases.toml`: one case per rule and per edge-case kind of
//! criteria.md section 5, and the scenarios on a copy of the real policy. Each case states the
//! level, qualifiers and deciding rules it expects; a meta-test checks that every rule of both
//! profiles decides at least one case, so no rule ships untested.

use redline::document::Document;
use redline::report::{Comparison, Side, compare_documents};
use redline::rules::Criteria;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    bases: BTreeMap<String, String>,
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    base: String,
    #[serde(default)]
    profile: Option<String>,
    #[serde(default)]
    old_edits: Vec<(String, String)>,
    #[serde(default)]
    edits: Vec<(String, String)>,
    #[serde(default)]
    remove_line_containing: Option<String>,
    #[serde(default)]
    swap_lines: Option<(String, String)>,
    #[serde(default)]
    replace_all_with: Option<String>,
    level: String,
    qualifiers: Vec<String>,
    #[serde(default)]
    rules: Vec<String>,
    #[serde(default)]
    not_rules: Vec<String>,
    #[serde(default)]
    reconsent_required: Option<bool>,
    #[serde(default)]
    notice_required: Option<bool>,
    #[serde(default)]
    review_required: Option<bool>,
    #[serde(default)]
    evidence: Option<String>,
    #[serde(default)]
    notice: Option<String>,
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn apply(name: &str, text: &str, edits: &[(String, String)]) -> String {
    let mut text = text.to_string();
    for (from, to) in edits {
        let n = text.matches(from.as_str()).count();
        assert_eq!(n, 1, "case `{name}`: edit `{from}` matches {n} times, expected exactly once");
        text = text.replacen(from.as_str(), to, 1);
    }
    text
}

fn build(case: &Case, bases: &BTreeMap<String, String>) -> (String, String) {
    let base = if case.base == "policy" {
        std::fs::read_to_string(root().join("policy/privacy.zh-CN.md")).unwrap()
    } else {
        bases
            .get(&case.base)
            .unwrap_or_else(|| panic!("case `{}`: no base `{}`", case.name, case.base))
            .trim_start()
            .to_string()
    };
    let old = apply(&case.name, &base, &case.old_edits);
    let mut new = apply(&case.name, &old, &case.edits);
    if let Some(marker) = &case.remove_line_containing {
        let before = new.lines().count();
        new = new
            .lines()
            .filter(|l| !l.contains(marker.as_str()))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(
            new.lines().count() + 1,
            before,
            "case `{}`: `{marker}` must be on exactly one line",
            case.name
        );
    }
    if let Some((a, b)) = &case.swap_lines {
        let mut lines: Vec<String> = new.lines().map(str::to_string).collect();
        let i = lines.iter().position(|l| l.starts_with(a.as_str())).expect("first line to swap");
        let j = lines.iter().position(|l| l.starts_with(b.as_str())).expect("second line to swap");
        lines.swap(i, j);
        new = lines.join("\n") + "\n";
    }
    if let Some(other) = &case.replace_all_with {
        new = bases[other].trim_start().to_string();
    }
    assert_ne!(old, new, "case `{}` changes nothing", case.name);
    (old, new)
}

fn run(
    case: &Case,
    bases: &BTreeMap<String, String>,
    repo: &Criteria,
    builtin: &Criteria,
) -> Comparison {
    let (old, new) = build(case, bases);
    let criteria = match case.profile.as_deref() {
        Some("repo") => repo,
        Some("builtin") => builtin,
        _ if case.base == "policy" => repo,
        _ => builtin,
    };
    let path = if case.base == "policy" { "privacy.zh-CN.md" } else { "policy.md" };
    let a = Document::from_bytes(path, old.as_bytes()).unwrap();
    let b = Document::from_bytes(path, new.as_bytes()).unwrap();
    compare_documents("privacy", Side::file("old"), Side::file("new"), a, b, criteria)
}

fn load() -> (Cases, Criteria, Criteria) {
    let text = std::fs::read_to_string(root().join("tests/cases.toml")).unwrap();
    let cases: Cases = toml::from_str(&text).unwrap();
    let repo = Criteria::load(&root().join("policy/criteria.toml")).unwrap();
    (cases, repo, Criteria::builtin())
}

/// Every case: level, qualifiers, deciding rules and flags as expected.
#[test]
fn every_case_is_classified_as_expected() {
    let (cases, repo, builtin) = load();
    let mut failures = Vec::new();
    for case in &cases.case {
        let c = run(case, &cases.bases, &repo, &builtin);
        let r = &c.report;
        let mut problems = Vec::new();
        if r.level.as_str() != case.level {
            problems.push(format!("level {} (expected {})", r.level, case.level));
        }
        let quals: Vec<&str> = r.qualifiers.iter().map(|q| q.as_str()).collect();
        let mut expected_quals: Vec<&str> = case.qualifiers.iter().map(String::as_str).collect();
        expected_quals.sort_by_key(|q| {
            ["separate", "explicit", "guardian", "review", "block"].iter().position(|x| x == q)
        });
        if quals != expected_quals {
            problems.push(format!("qualifiers {quals:?} (expected {expected_quals:?})"));
        }
        let deciding: BTreeSet<&str> = r.findings.iter().map(|f| f.rule.as_str()).collect();
        for rule in &case.rules {
            if !deciding.contains(rule.as_str()) {
                problems.push(format!("rule `{rule}` decided no finding (deciding: {deciding:?})"));
            }
        }
        for rule in &case.not_rules {
            if deciding.contains(rule.as_str()) {
                problems.push(format!("rule `{rule}` must not decide a finding"));
            }
        }
        let flags = [
            ("reconsent_required", case.reconsent_required, r.reconsent_required),
            ("notice_required", case.notice_required, r.notice_required),
            ("review_required", case.review_required, r.review_required),
        ];
        for (name, want, got) in flags {
            if want.is_some_and(|w| w != got) {
                problems.push(format!("{name} = {got}"));
            }
        }
        if let Some(e) = &case.evidence
            && !c.diff.changes.iter().any(|ch| {
                ch.evidence.is_some_and(|x| serde_json::to_value(x).unwrap() == e.as_str())
            })
        {
            problems.push(format!("no change has evidence `{e}`"));
        }
        if let Some(n) = &case.notice
            && !r.notices.iter().any(|x| x.contains(n.as_str()))
        {
            problems.push(format!("no notice contains `{n}` (notices: {:?})", r.notices));
        }
        if !problems.is_empty() {
            failures.push(format!("{}:\n    {}", case.name, problems.join("\n    ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.case.len(),
        failures.join("\n")
    );
}

/// Meta-test: every rule of both profiles decides at least one case.
#[test]
fn every_rule_has_a_case_that_it_decides() {
    let (cases, repo, builtin) = load();
    let mut decided: BTreeSet<String> = BTreeSet::new();
    for case in &cases.case {
        let c = run(case, &cases.bases, &repo, &builtin);
        decided.extend(c.report.findings.iter().map(|f| f.rule.clone()));
    }
    let mut missing: Vec<String> = repo
        .rules
        .iter()
        .chain(&builtin.rules)
        .map(|r| r.id.clone())
        .filter(|id| !decided.contains(id))
        .collect();
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "rules without a case that they decide: {missing:?}");
}

/// Invariant: every base compared with itself has level `none` and no findings.
#[test]
fn a_document_compared_with_itself_has_no_findings() {
    let (cases, repo, builtin) = load();
    let policy = std::fs::read_to_string(root().join("policy/privacy.zh-CN.md")).unwrap();
    let mut texts: Vec<(String, &Criteria)> = vec![(policy, &repo)];
    texts.extend(cases.bases.values().map(|t| (t.clone(), &builtin)));
    for case in &cases.case {
        let (old, new) = build(case, &cases.bases);
        texts.push((old, &builtin));
        texts.push((new, &repo));
    }
    for (text, criteria) in texts {
        let a = Document::from_bytes("a.md", text.as_bytes()).unwrap();
        let b = Document::from_bytes("a.md", text.as_bytes()).unwrap();
        let c = compare_documents("privacy", Side::file("a"), Side::file("b"), a, b, criteria);
        assert_eq!(c.report.level, redline::Level::None);
        assert!(c.report.findings.is_empty() && c.report.changes.is_empty());
    }
}
